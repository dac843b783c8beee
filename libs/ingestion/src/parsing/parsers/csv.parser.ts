import { parse } from 'csv-parse/sync';
import { ParseError } from '../parse-error';
import { decodeText } from './text.parser';

/**
 * A CSV table as one paragraph per row, "column: value" pairs joined by "; ", so each row reads as
 * a self-contained statement for retrieval. The first row is the header.
 */
export function parseCsv(content: Buffer): string {
  let rows: string[][];
  try {
    rows = parse(decodeText(content), {
      skip_empty_lines: true,
      relax_column_count: true,
      bom: true,
      trim: true,
    });
  } catch (error) {
    throw new ParseError(`the CSV cannot be parsed: ${(error as Error).message.slice(0, 200)}`);
  }
  if (rows.length === 0) return '';
  const [header, ...body] = rows;
  if (body.length === 0) return header.join('; ');
  return body
    .map((row) =>
      row
        .map((value, i) => (value === '' ? null : `${header[i] || `column ${i + 1}`}: ${value}`))
        .filter((cell) => cell !== null)
        .join('; '),
    )
    .filter((line) => line.length > 0)
    .join('\n\n');
}
