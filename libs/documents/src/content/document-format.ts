// No Node imports: the console checks a file's type with this module before uploading it.

export const DOCUMENT_FORMATS = ['txt', 'md', 'html', 'pdf', 'docx', 'csv', 'json'] as const;
export type DocumentFormat = (typeof DOCUMENT_FORMATS)[number];

export const BY_EXTENSION: Record<string, DocumentFormat> = {
  '.txt': 'txt',
  '.text': 'txt',
  '.log': 'txt',
  '.md': 'md',
  '.markdown': 'md',
  '.html': 'html',
  '.htm': 'html',
  '.pdf': 'pdf',
  '.docx': 'docx',
  '.csv': 'csv',
  '.json': 'json',
};

const BY_MIME: Record<string, DocumentFormat> = {
  'text/plain': 'txt',
  'text/markdown': 'md',
  'text/x-markdown': 'md',
  'text/html': 'html',
  'application/pdf': 'pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'text/csv': 'csv',
  'application/json': 'json',
};

export const MIME_OF: Record<DocumentFormat, string> = {
  txt: 'text/plain',
  md: 'text/markdown',
  html: 'text/html',
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  csv: 'text/csv',
  json: 'application/json',
};

/**
 * The format of an upload: by file extension first (clients often send octet-stream), then by
 * the declared MIME type; null when it is neither (the document then fails with a clear error).
 */
export function detectFormat(fileName: string | null, mimeType: string | null): DocumentFormat | null {
  const byExtension = fileName ? BY_EXTENSION[extensionOf(fileName)] : undefined;
  if (byExtension) return byExtension;
  const mime = mimeType?.split(';')[0].trim().toLowerCase();
  return (mime && BY_MIME[mime]) || null;
}

/** The MIME type to record for an upload: the detected format's, else what the client said. */
export function mimeTypeFor(fileName: string | null, declared: string | null): string {
  const format = detectFormat(fileName, declared);
  if (format) return MIME_OF[format];
  return declared?.split(';')[0].trim().toLowerCase() || 'application/octet-stream';
}

/** `.pdf` for `Report.PDF`; '' without an extension (a leading dot alone names no extension). */
export function extensionOf(fileName: string): string {
  const base = fileName.slice(fileName.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot).toLowerCase() : '';
}
