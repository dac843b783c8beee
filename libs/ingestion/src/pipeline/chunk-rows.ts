import type { EntityManager } from 'typeorm';
import { slices } from '@strata/core';
import { indexDocumentTerms, unindexDocumentTerms } from '@strata/storage';
import type { KbScope } from '@strata/tenancy';

/** A chunk as stored: its id, place in the document, text and size. */
export interface ChunkRow {
  id: string;
  ordinal: number;
  content: string;
  tokenCount: number;
  heading: string | null;
}

const ROWS_PER_INSERT = 200;

/** Replaces a document's chunks and their full-text postings with `chunks`, in the caller's transaction. */
export async function replaceChunkRows(
  manager: EntityManager,
  scope: KbScope,
  documentId: string,
  chunks: readonly ChunkRow[],
): Promise<void> {
  await unindexDocumentTerms(manager, scope, documentId);
  await manager.query('DELETE FROM chunks WHERE tenant_id = $1 AND kb_id = $2 AND document_id = $3', [
    scope.tenantId,
    scope.kbId,
    documentId,
  ]);
  for (const batch of slices(chunks, ROWS_PER_INSERT)) {
    const params: unknown[] = [scope.tenantId, scope.kbId, documentId];
    const values = batch.map((chunk) => {
      params.push(chunk.id, chunk.ordinal, chunk.content, chunk.tokenCount, chunk.heading);
      const n = params.length;
      return `($${n - 4}, $1, $2, $3, $${n - 3}, $${n - 2}, $${n - 1}, $${n})`;
    });
    await manager.query(
      `INSERT INTO chunks (id, tenant_id, kb_id, document_id, ordinal, content, token_count, heading)
       VALUES ${values.join(', ')}`,
      params,
    );
  }
  await indexDocumentTerms(manager, scope, documentId);
}
