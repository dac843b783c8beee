// What other libraries read from `documents` (an import's already-present documents, the documents
// an entity's chunks come from, the platform's counts for metrics), so that the table has its SQL
// in its own library. Each function takes the caller's runner and, where the rows are a tenant's,
// the KB's scope first.

import { type SqlRunner, withoutHiddenDocuments } from '@strata/storage';
import type { KbScope } from '@strata/tenancy';

/** Of the given document ids, those the KB holds (in any status) and the scope does not hide. */
export async function existingDocumentIds(
  db: SqlRunner,
  scope: KbScope,
  ids: readonly string[],
): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const params: unknown[] = [scope.tenantId, scope.kbId, [...ids]];
  const rows = (await db.query(
    `SELECT id FROM documents WHERE tenant_id = $1 AND kb_id = $2 AND id = ANY($3::uuid[])
     ${withoutHiddenDocuments(scope, params, 'id')}`,
    params,
  )) as Array<{ id: string }>;
  return new Set(rows.map((r) => r.id));
}

/** The documents the KB's given chunks belong to (those the scope does not hide), each once, by title. */
export async function documentsOfChunks(
  db: SqlRunner,
  scope: KbScope,
  chunkIds: readonly string[],
): Promise<Array<{ id: string; title: string }>> {
  if (chunkIds.length === 0) return [];
  const params: unknown[] = [scope.tenantId, scope.kbId, [...chunkIds]];
  return (await db.query(
    `SELECT DISTINCT d.id, d.title FROM chunks c JOIN documents d ON d.id = c.document_id AND d.tenant_id = c.tenant_id
     WHERE c.tenant_id = $1 AND c.kb_id = $2 AND c.id = ANY($3::uuid[]) ${withoutHiddenDocuments(scope, params, 'd.id')}
     ORDER BY d.title, d.id`,
    params,
  )) as Array<{ id: string; title: string }>;
}

/**
 * Documents per status across the platform, for the metrics gauges (which name no tenant): the
 * one read here without a scope, and it answers counts only.
 */
export async function countDocumentsByStatus(db: SqlRunner): Promise<Map<string, number>> {
  const rows = (await db.query('SELECT status, count(*) AS n FROM documents GROUP BY status')) as Array<{
    status: string;
    n: string;
  }>;
  return new Map(rows.map((row) => [row.status, Number(row.n)]));
}

/** Every document the KB holds, in any status (consistency checks run as a job: nothing is hidden). */
export async function documentIdsOfKb(db: SqlRunner, scope: KbScope): Promise<Set<string>> {
  const rows = (await db.query('SELECT id FROM documents WHERE tenant_id = $1 AND kb_id = $2', [
    scope.tenantId,
    scope.kbId,
  ])) as Array<{ id: string }>;
  return new Set(rows.map((r) => r.id));
}
