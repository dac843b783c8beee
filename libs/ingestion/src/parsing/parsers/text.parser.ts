import { ParseError } from '../parse-error';

/**
 * Decodes UTF-8 text (a BOM is dropped). Bytes that are not text (NUL bytes, or many invalid
 * sequences) make a ParseError instead of a document of replacement characters.
 */
export function decodeText(content: Buffer): string {
  if (content.includes(0)) throw new ParseError('the file is binary, not text');
  const text = new TextDecoder('utf-8', { fatal: false }).decode(content);
  const invalid = (text.match(/\uFFFD/g) ?? []).length;
  if (invalid > 0 && invalid / Math.max(1, text.length) > 0.01) {
    throw new ParseError('the file is not valid UTF-8 text');
  }
  return text.replace(/^\uFEFF/, '');
}
