import mammoth from 'mammoth';
import { assertZipWithinBounds } from '../limits/zip-bounds';
import type { ParseLimits } from '../parse-document';
import { ParseError } from '../parse-error';

/** The text of a Word (.docx) document, paragraphs separated by blank lines. */
export async function parseDocx(content: Buffer, limits: ParseLimits): Promise<string> {
  try {
    assertZipWithinBounds(content, limits.zip);
  } catch (error) {
    throw new ParseError(`the Word document cannot be read: ${(error as Error).message}`);
  }
  try {
    const { value } = await mammoth.extractRawText({ buffer: content });
    return value;
  } catch (error) {
    throw new ParseError(`the Word document cannot be read: ${(error as Error).message.slice(0, 200)}`);
  }
}
