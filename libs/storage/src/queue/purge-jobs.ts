import type { EntityManager } from 'typeorm';
import { newId } from '@strata/core';
import type { TenantScope } from '@strata/tenancy';
import type { Job } from './job-queue.port';

/**
 * Records, inside the caller's transaction, that a KB's (or with `kbId` null, a whole tenant's)
 * vectors and blobs must be purged; enqueue the returned job after the commit. The row stays until
 * the purge has finished, so a crash in between only delays it.
 */
export async function schedulePurge(
  manager: EntityManager,
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
