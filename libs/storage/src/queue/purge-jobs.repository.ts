import { newId } from '@strata/core';
import type { TenantScope } from '@strata/tenancy';
import type { SqlRunner } from '../relational/sql-runner';
import type { Job } from './job-queue.port';

/** What a purge removes: a KB's data, or with `kbId` null a whole tenant's. */
export interface PurgeTarget {
  id: string;
  tenantId: string;
  kbId: string | null;
}

/**
 * Records, inside the caller's transaction, that a KB's (or with `kbId` null, a whole tenant's)
 * vectors and blobs must be purged; enqueue the returned job after the commit. The row stays until
 * the purge has finished, so a crash in between only delays it.
 */
export async function schedulePurge(
  manager: SqlRunner,
  scope: TenantScope,
  kbId: string | null,
): Promise<Job> {
  const id = newId();
  await manager.query('INSERT INTO purge_jobs (id, tenant_id, kb_id) VALUES ($1, $2, $3)', [
    id,
    scope.tenantId,
    kbId,
  ]);
  return { type: 'purge', tenantId: scope.tenantId, kbId, targetId: id };
}

/** Starts an attempt at a purge (counting it) and answers its target; null once it has finished. */
export async function startPurge(sql: SqlRunner, purgeId: string): Promise<PurgeTarget | null> {
  const rows = (await sql.query('SELECT tenant_id, kb_id FROM purge_jobs WHERE id = $1', [
    purgeId,
  ])) as Array<{
    tenant_id: string;
    kb_id: string | null;
  }>;
  if (rows.length === 0) return null;
  await sql.query('UPDATE purge_jobs SET attempts = attempts + 1 WHERE id = $1', [purgeId]);
  return { id: purgeId, tenantId: rows[0].tenant_id, kbId: rows[0].kb_id };
}

/** Records that a purge has finished: its row goes. */
export async function finishPurge(sql: SqlRunner, purgeId: string): Promise<void> {
  await sql.query('DELETE FROM purge_jobs WHERE id = $1', [purgeId]);
}

/**
 * The purges not finished yet, oldest first, across tenants: the job runner's sweep queues them
 * again after a restart (each purge is scoped to its own target when it runs).
 */
export async function unfinishedPurges(sql: SqlRunner, limit: number): Promise<PurgeTarget[]> {
  const rows = (await sql.query('SELECT id, tenant_id, kb_id FROM purge_jobs ORDER BY created_at LIMIT $1', [
    limit,
  ])) as Array<{ id: string; tenant_id: string; kb_id: string | null }>;
  return rows.map((row) => ({ id: row.id, tenantId: row.tenant_id, kbId: row.kb_id }));
}
