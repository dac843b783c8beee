import type { DataSource } from 'typeorm';
import { slices } from '@strata/core';
import { indexDocumentTerms, type SqlRunner, unindexDocumentTerms } from '@strata/storage';
import type { KbScope } from '@strata/tenancy';

/** A chunk as stored: its id, place in the document, text and size. */
export interface ChunkRow {
  id: string;
  ordinal: number;
  content: string;
  tokenCount: number;
  heading: string | null;
}

/**
 * Chunks per INSERT, each its own statement. With the embedded database's one connection every
 * statement or transaction of a job makes requests wait until it ends: a document's chunks and
 * postings in one transaction held it 80-160 ms (a ~100 KB document; the generated `tsv` is most
 * of an insert's cost, about 1 ms a chunk there).
 */
const CHUNKS_PER_STATEMENT = 16;

/**
 * Replaces a document's chunks and their full-text postings with `chunks`, in three steps that
 * each leave a state a retry starts from: the old chunks and postings go (one transaction), the new
 * chunks go in slice by slice, then their postings (see indexDocumentTerms). Until the last step text
 * search does not find the document (vector search does not either: its vectors are replaced
 * around this); a crash in between leaves the document to its job's next attempt, whose first
 * step removes whatever chunks and postings the crashed one wrote (and their counts with them).
 */
export async function replaceChunkRows(
  dataSource: DataSource,
  scope: KbScope,
  documentId: string,
  chunks: readonly ChunkRow[],
): Promise<void> {
  await dataSource.transaction((manager) => deleteChunkRows(manager, scope, documentId));
  for (const batch of slices(chunks, CHUNKS_PER_STATEMENT)) {
    const params: unknown[] = [scope.tenantId, scope.kbId, documentId];
    const values = batch.map((chunk) => {
      params.push(chunk.id, chunk.ordinal, chunk.content, chunk.tokenCount, chunk.heading);
      const n = params.length;
      return `($${n - 4}, $1, $2, $3, $${n - 3}, $${n - 2}, $${n - 1}, $${n})`;
    });
    await dataSource.query(
      `INSERT INTO chunks (id, tenant_id, kb_id, document_id, ordinal, content, token_count, heading)
       VALUES ${values.join(', ')}`,
      params,
    );
  }
  await indexDocumentTerms(dataSource, scope, documentId);
}

/**
 * Removes a document's chunks and their full-text postings (and with them its counts in the KB's
 * statistics); in the caller's transaction, since the postings are found through the chunks.
 */
export async function deleteChunkRows(sql: SqlRunner, scope: KbScope, documentId: string): Promise<void> {
  await unindexDocumentTerms(sql, scope, documentId);
  await sql.query('DELETE FROM chunks WHERE tenant_id = $1 AND kb_id = $2 AND document_id = $3', [
    scope.tenantId,
    scope.kbId,
    documentId,
  ]);
}

/** The chunks of the KB's documents `documentIds`, each document's in order. */
export async function readDocumentChunks(
  sql: SqlRunner,
  scope: KbScope,
  documentIds: readonly string[],
): Promise<Array<{ id: string; documentId: string; content: string }>> {
  const rows = (await sql.query(
    `SELECT id, document_id, content FROM chunks
     WHERE tenant_id = $1 AND kb_id = $2 AND document_id = ANY($3::uuid[])
     ORDER BY document_id, ordinal`,
    [scope.tenantId, scope.kbId, [...documentIds]],
  )) as Array<{ id: string; document_id: string; content: string }>;
  return rows.map((r) => ({ id: r.id, documentId: r.document_id, content: r.content }));
}
