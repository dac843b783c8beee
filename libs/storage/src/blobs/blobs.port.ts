import type { KbScope, TenantScope } from '@strata/tenancy';

/**
 * Original uploads. Keys are made by the store from the scope and a document id, so a caller
 * cannot name a blob outside its tenant and KB.
 */
export abstract class BlobStore {
  /** Where the store keeps a document's blob, as recorded on the document row. */
  abstract keyOf(scope: KbScope, documentId: string): string;
  /** Writes the blob and returns its key. */
  abstract put(scope: KbScope, documentId: string, content: Buffer): Promise<string>;
  abstract get(scope: KbScope, documentId: string): Promise<Buffer>;
  abstract delete(scope: KbScope, documentId: string): Promise<void>;
  abstract exists(scope: KbScope, documentId: string): Promise<boolean>;
  abstract deleteKnowledgeBase(scope: KbScope): Promise<void>;
  abstract deleteTenant(scope: TenantScope): Promise<void>;
  /** How many blobs a KB holds (tests and consistency checks). */
  abstract count(scope: KbScope): Promise<number>;
  /**
   * The documents a KB holds blobs of (consistency checks); with `writtenBefore`, only blobs last
   * written before then (an upload writes its blob just before its row commits).
   */
  abstract documentIds(scope: KbScope, options?: { writtenBefore?: Date }): Promise<Set<string>>;
}
