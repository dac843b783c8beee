import type { DocumentFormat } from '@strata/documents';
import { ParseError } from './parse-error';
import { parseCsv } from './parsers/csv.parser';
import { parseDocx } from './parsers/docx.parser';
import { parseHtml } from './parsers/html.parser';
import { parseJson } from './parsers/json.parser';
import { parsePdf } from './parsers/pdf.parser';
import { decodeText } from './parsers/text.parser';

const PARSERS: Record<DocumentFormat, (content: Buffer) => string | Promise<string>> = {
  txt: decodeText,
  md: decodeText,
  html: parseHtml,
  pdf: parsePdf,
  docx: parseDocx,
  csv: parseCsv,
  json: parseJson,
};

/** The text of an upload in a supported format; a ParseError says why there is none. */
export async function parseDocument(format: DocumentFormat | null, content: Buffer): Promise<string> {
  if (format === null) {
    throw new ParseError('unsupported file type: upload txt, md, html, pdf, docx, csv or json');
  }
  return PARSERS[format](content);
}
