// What answering a question reads of a KB's documents and chunks: the documents a query's filters
// allow, and the found chunks' text with their document's title. Each function takes the
// caller's runner and the KB's scope first.

import { type SqlRunner, withoutHiddenDocuments } from '@strata/storage';
import type { KbScope } from '@strata/tenancy';

/** A chunk as an answer cites it, with its document's title. */
export interface ChunkWithTitle {
  id: string;
  document_id: string;
  ordinal: number;
  content: string;
  token_count: number;
  title: string;
}

/** A query's document filters: these documents, and (or) those whose metadata contains this. */
export interface DocumentFilter {
  documentIds?: readonly string[];
  metadata?: Record<string, unknown>;
}

/** The KB's processed documents the filter allows (and the scope does not hide). */
export async function documentsMatching(
  sql: SqlRunner,
  scope: KbScope,
  filter: DocumentFilter,
): Promise<string[]> {
  const params: unknown[] = [scope.tenantId, scope.kbId];
  let where = `tenant_id = $1 AND kb_id = $2 AND status = 'processed'`;
  if (filter.documentIds !== undefined) {
    params.push([...filter.documentIds]);
    where += ` AND id = ANY($${params.length}::uuid[])`;
  }
  if (filter.metadata !== undefined) {
    params.push(JSON.stringify(filter.metadata));
    where += ` AND metadata @> $${params.length}::jsonb`;
  }
  where += withoutHiddenDocuments(scope, params, 'id');
  const rows = (await sql.query(`SELECT id FROM documents WHERE ${where}`, params)) as Array<{ id: string }>;
  return rows.map((r) => r.id);
}

/**
 * The chunks `ids` of the KB, in no particular order, leaving out those of documents being deleted
 * and of documents the scope hides.
 */
export async function readChunksWithTitles(
  sql: SqlRunner,
  scope: KbScope,
  ids: readonly string[],
): Promise<ChunkWithTitle[]> {
  if (ids.length === 0) return [];
  const params: unknown[] = [scope.tenantId, scope.kbId, [...ids]];
  return (await sql.query(
    `SELECT c.id, c.document_id, c.ordinal, c.content, c.token_count, d.title
     FROM chunks c JOIN documents d ON d.id = c.document_id AND d.tenant_id = c.tenant_id
     WHERE c.tenant_id = $1 AND c.kb_id = $2 AND c.id = ANY($3::uuid[]) AND d.status <> 'deleting'
       ${withoutHiddenDocuments(scope, params, 'c.document_id')}`,
    params,
  )) as ChunkWithTitle[];
}
