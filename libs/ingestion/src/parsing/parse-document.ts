import type { DocumentFormat } from '@strata/documents';
import type { ZipBounds } from './limits/zip-bounds';
import { ParseError } from './parse-error';
import { parseCsv } from './parsers/csv.parser';
import { parseDocx } from './parsers/docx.parser';
import { parseHtml } from './parsers/html.parser';
import { parseJson } from './parsers/json.parser';
import { parsePdf } from './parsers/pdf.parser';
import { decodeText } from './parsers/text.parser';

/** Bounds a parser enforces before it unpacks anything. */
export interface ParseLimits {
  zip: ZipBounds;
}

/** Generous enough for any real document; a zip bomb is refused before it is opened. */
export const DEFAULT_PARSE_LIMITS: ParseLimits = {
  zip: { maxEntries: 10_000, maxExpandedBytes: 100 * 1024 * 1024 },
};

const PARSERS: Record<DocumentFormat, (content: Buffer, limits: ParseLimits) => string | Promise<string>> = {
  txt: decodeText,
  md: decodeText,
  html: parseHtml,
  pdf: parsePdf,
  docx: parseDocx,
  csv: parseCsv,
  json: parseJson,
};

/** The text of an upload in a supported format; a ParseError says why there is none. */
export async function parseDocument(
  format: DocumentFormat | null,
  content: Buffer,
  limits: ParseLimits = DEFAULT_PARSE_LIMITS,
): Promise<string> {
  if (format === null) {
    throw new ParseError('unsupported file type: upload txt, md, html, pdf, docx, csv or json');
  }
  return PARSERS[format](content, limits);
}
