import {
  BY_EXTENSION,
  detectFormat,
  extensionOf,
} from '../../../../libs/documents/src/content/document-format';

/** The extensions the API parses, for the file picker's `accept`. */
export const ACCEPTED_EXTENSIONS = Object.keys(BY_EXTENSION).join(',');

/** Why the API would fail this file for its type, checked before it is sent; null when it parses it. */
export function unsupportedType(file: File): string | null {
  if (detectFormat(file.name, file.type) !== null) return null;
  const what = extensionOf(file.name) || file.type || 'a file without an extension';
  return `${what} is not a type Strata reads (PDF, DOCX, HTML, Markdown, text, CSV, JSON)`;
}

/** Whether a stored document is of a type the API parses (so reindexing it can help). */
export const parsable = (mimeType: string): boolean => detectFormat(null, mimeType) !== null;
