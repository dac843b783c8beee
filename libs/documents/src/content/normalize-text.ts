import { sha256Hex } from '@strata/core';

/**
 * The canonical form of a document's text, which its content hash is taken over: Unicode NFC,
 * LF line ends, no control characters, no trailing spaces, at most one blank line in a row, and
 * no blank lines at either end. Two uploads of the same text in different encodings or with
 * different line ends hash the same.
 */
export function normalizeText(text: string): string {
  return (
    text
      .normalize('NFC')
      .replace(/\r\n?/g, '\n')
      // eslint-disable-next-line no-control-regex -- removing control characters is the point
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '')
      .replace(/[ \t\u00A0]+$/gm, '')
      .replace(/\n{3,}/g, '\n\n')
      .trim()
  );
}

/** SHA-256 (hex) of normalised text. */
export function contentHash(normalized: string): string {
  return sha256Hex(normalized);
}
