// What other libraries read and write on a KB's row (its status, settings, counters and graph
// version), so that `knowledge_bases` has its SQL in its own library. Each function takes the
// caller's runner (a transaction's manager or the data source) and the KB's scope first; a KB
// that is gone reads as null or 0 and is left alone by the writes.

import { type SqlRunner, updateReturning } from '@strata/storage';
import type { KbScope, TenantScope } from '@strata/tenancy';
import { type KnowledgeBaseConfig, type KnowledgeBaseConfigPatch, mergeKbConfig } from './kb-config';

const byScope = (scope: KbScope) => [scope.tenantId, scope.kbId];

/** The KB's row with the given columns (SQL expressions, aliased as needed); undefined when it is gone. */
async function readKbRow<T>(db: SqlRunner, scope: KbScope, columns: string): Promise<T | undefined> {
  const rows = (await db.query(
    `SELECT ${columns} FROM knowledge_bases WHERE tenant_id = $1 AND id = $2`,
    byScope(scope),
  )) as T[];
  return rows[0];
}

/** The KB's status (`active` or `archived`); null when it is gone. */
export async function readKbStatus(db: SqlRunner, scope: KbScope): Promise<string | null> {
  return (await readKbRow<{ status: string }>(db, scope, 'status'))?.status ?? null;
}

/** A KB's stored config completed with defaults; null when the KB is gone. */
export async function readKbConfig(db: SqlRunner, scope: KbScope): Promise<KnowledgeBaseConfig | null> {
  const row = await readKbRow<{ config: KnowledgeBaseConfigPatch }>(db, scope, 'config');
  return row ? mergeKbConfig(row.config) : null;
}

/** How many documents a KB holds (any status); 0 for a KB that is gone. */
export async function readKbDocumentCount(db: SqlRunner, scope: KbScope): Promise<number> {
  const row = await readKbRow<{ document_count: number | string }>(db, scope, 'document_count');
  return row ? Number(row.document_count) : 0;
}

/** Adds `delta` (negative to remove) to the KB's document count, which never goes below 0. */
export async function adjustKbDocumentCount(db: SqlRunner, scope: KbScope, delta: number): Promise<void> {
  await db.query(
    'UPDATE knowledge_bases SET document_count = greatest(0, document_count + $3) WHERE tenant_id = $1 AND id = $2',
    [...byScope(scope), delta],
  );
}

/**
 * Forgets the dimension of the KB's vectors (not its model): the next document embedded records
 * whatever the model now answers.
 */
export async function forgetKbEmbeddingDimension(db: SqlRunner, scope: KbScope): Promise<void> {
  await db.query(
    `UPDATE knowledge_bases
     SET config = jsonb_set(config, '{embedding}', coalesce(config -> 'embedding', '{}') || '{"dimension": null}'),
       updated_at = now()
     WHERE tenant_id = $1 AND id = $2`,
    byScope(scope),
  );
}

/** The embedding model and dimension a KB has recorded (either may be null). */
export interface KbEmbeddingSpace {
  model: string | null;
  dimension: number | null;
}

/** The KB's embedding space as columns of its row. */
const EMBEDDING_SPACE = `config #>> '{embedding,model}' AS model, (config #>> '{embedding,dimension}')::int AS dimension`;

/**
 * Records `model` and `dimension` as the KB's embedding space when it has none yet (or has the
 * model without a dimension), and answers what the KB holds afterwards: the space given, or the
 * one another writer recorded first. Null when the KB is gone.
 */
export async function claimKbEmbeddingSpace(
  db: SqlRunner,
  scope: KbScope,
  model: string,
  dimension: number,
): Promise<KbEmbeddingSpace | null> {
  const claimed = await updateReturning<KbEmbeddingSpace>(
    db,
    `UPDATE knowledge_bases
     SET config = jsonb_set(config, '{embedding}', jsonb_build_object('model', $3::text, 'dimension', $4::int))
     WHERE tenant_id = $1 AND id = $2
       AND (coalesce(config #>> '{embedding,model}', '') = ''
         OR (config #>> '{embedding,model}' = $3 AND config #>> '{embedding,dimension}' IS NULL))
     RETURNING ${EMBEDDING_SPACE}`,
    [...byScope(scope), model, dimension],
  );
  if (claimed.length > 0) return claimed[0];
  // Not claimed: another writer recorded a space first. A statement of its own sees its commit
  // (the UPDATE above waited for it), which a second part of the same statement would not.
  return (await readKbRow<KbEmbeddingSpace>(db, scope, EMBEDDING_SPACE)) ?? null;
}

/** How many KBs the tenant has, whatever their status: the measure of its KB quota. */
export async function countTenantKnowledgeBases(db: SqlRunner, scope: TenantScope): Promise<number> {
  const [row] = (await db.query('SELECT count(*) AS count FROM knowledge_bases WHERE tenant_id = $1', [
    scope.tenantId,
  ])) as Array<{ count: string | number }>;
  return Number(row.count);
}

/** The KB's graph version (moved on by every change of its mentions or edits); null when it is gone. */
export async function readKbGraphVersion(db: SqlRunner, scope: KbScope): Promise<string | null> {
  return (await readKbRow<{ version: string }>(db, scope, 'graph_version::text AS version'))?.version ?? null;
}

/**
 * Moves the KB's graph version on, so that graph merges under way see that its mentions or edits
 * changed; answers the new version (null when the KB is gone).
 */
export async function bumpKbGraphVersion(db: SqlRunner, scope: KbScope): Promise<string | null> {
  const [bumped] = await updateReturning<{ version: string }>(
    db,
    `UPDATE knowledge_bases SET graph_version = graph_version + 1 WHERE tenant_id = $1 AND id = $2
     RETURNING graph_version::text AS version`,
    byScope(scope),
  );
  return bumped?.version ?? null;
}

/** Every KB, of one tenant or of all, by tenant and id (operators' checks across tenants). */
export async function allKnowledgeBases(
  db: SqlRunner,
  tenantId: string | null,
): Promise<Array<{ tenantId: string; kbId: string; slug: string }>> {
  return (await db.query(
    `SELECT tenant_id AS "tenantId", id AS "kbId", slug FROM knowledge_bases
     WHERE $1::uuid IS NULL OR tenant_id = $1 ORDER BY tenant_id, id`,
    [tenantId],
  )) as Array<{ tenantId: string; kbId: string; slug: string }>;
}
