import { createHash } from 'node:crypto';
import type { DocumentAccess } from './access/access-list';

/** One document to add, from a file part or a JSON text. */
export interface NewDocument {
  /** A caller's own id (an importer's, stable across runs); a new one otherwise. */
  id?: string;
  title: string;
  sourceName: string | null;
  mimeType: string;
  content: Buffer;
  metadata: Record<string, unknown>;
  /** For texts: the hash of the normalised text, known before parsing. */
  contentHash: string | null;
  /** Shared by the documents one request adds, for callers that poll by it (LightRAG's track id). */
  trackId?: string;
  /** Who may see it; absent or null: everyone who may read the KB. Checked by DocumentAccessLists. */
  access?: DocumentAccess | null;
}

/** SHA-256 (hex) of the uploaded bytes: the same file uploaded twice is found before parsing. */
export const sourceHashOf = (content: Buffer): string => createHash('sha256').update(content).digest('hex');

/** A title from the first non-empty line of a text, cut at 120 characters. */
export function titleFromText(text: string): string {
  const line =
    text
      .split('\n')
      .find((l) => l.trim().length > 0)
      ?.trim() ?? 'Untitled';
  const plain = line.replace(/^#+\s*/, '');
  return plain.length > 120 ? `${plain.slice(0, 117)}...` : plain || 'Untitled';
}
