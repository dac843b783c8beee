import { extractText, getDocumentProxy } from 'unpdf';
import { ParseError } from '../parse-error';

/** The text of every page of a PDF, pages separated by blank lines. */
export async function parsePdf(content: Buffer): Promise<string> {
  let pdf: Awaited<ReturnType<typeof getDocumentProxy>>;
  try {
    pdf = await getDocumentProxy(new Uint8Array(content));
  } catch (error) {
    throw new ParseError(`the PDF cannot be read: ${describe(error)}`);
  }
  try {
    const { text } = await extractText(pdf, { mergePages: false });
    return (text as string[]).join('\n\n');
  } catch (error) {
    throw new ParseError(`the PDF's text cannot be extracted: ${describe(error)}`);
  } finally {
    await pdf.destroy().catch(() => undefined);
  }
}

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return /password/i.test(message) ? 'it is password-protected' : message.slice(0, 200);
}
