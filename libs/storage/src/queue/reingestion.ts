import type { EntityManager } from 'typeorm';
import type { KbScope } from '@strata/tenancy';
import { updateReturning } from '../relational/update-returning';
import type { Job } from './job-queue.port';

/**
 * Puts every live document of a KB back to `pending`, inside the caller's transaction, and
 * returns the ingest jobs to enqueue after the commit (a KB reindex, or a change of its embedding
 * model). Documents being deleted are left alone.
 */
export async function scheduleReingestion(manager: EntityManager, scope: KbScope): Promise<Job[]> {
  const rows = await updateReturning<{ id: string }>(
    manager,
    `UPDATE documents SET status = 'pending', progress = 0, error = NULL, lease_expires_at = NULL,
       graph_status = 'pending', graph_error = NULL, updated_at = now()
     WHERE tenant_id = $1 AND kb_id = $2 AND status <> 'deleting' RETURNING id`,
    [scope.tenantId, scope.kbId],
  );
  return rows.map((row) => ({
    type: 'ingest',
    tenantId: scope.tenantId,
    kbId: scope.kbId,
    targetId: row.id,
  }));
}
