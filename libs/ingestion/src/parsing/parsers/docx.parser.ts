import mammoth from 'mammoth';
import { ParseError } from '../parse-error';

/** The text of a Word (.docx) document, paragraphs separated by blank lines. */
export async function parseDocx(content: Buffer): Promise<string> {
  try {
    const { value } = await mammoth.extractRawText({ buffer: content });
    return value;
  } catch (error) {
    throw new ParseError(`the Word document cannot be read: ${(error as Error).message.slice(0, 200)}`);
  }
}
