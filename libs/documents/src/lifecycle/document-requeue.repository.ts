import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { KbDocumentRequeue } from '@strata/knowledge-bases';
import { type Job, updateReturning } from '@strata/storage';
import type { KbScope } from '@strata/tenancy';

/**
 * Puts a KB's documents back to `pending` (a reindex, or a new embedding model): their status,
 * progress, error and lease reset, their graph stage `pending` again. The jobs it answers are
 * enqueued by the caller after its transaction commits; a crash before that loses nothing, since
 * the job runner's sweep queues whatever the database says is pending.
 */
@Injectable()
export class DocumentRequeueRepository extends KbDocumentRequeue {
  async requeueAll(manager: EntityManager, scope: KbScope): Promise<Job[]> {
    const rows = await updateReturning<{ id: string }>(
      manager,
      `UPDATE documents SET status = 'pending', progress = 0, error = NULL, lease_expires_at = NULL,
         graph_status = 'pending', graph_error = NULL, updated_at = now()
       WHERE tenant_id = $1 AND kb_id = $2 AND status <> 'deleting' RETURNING id`,
      [scope.tenantId, scope.kbId],
    );
    return rows.map((row) => ingestJob(scope, row.id));
  }

  /**
   * Puts back the KB's documents whose processing or graph stage failed, under a new track id
   * (null: each keeps its own).
   */
  async requeueFailed(manager: EntityManager, scope: KbScope, trackId: string | null): Promise<Job[]> {
    const rows = await updateReturning<{ id: string }>(
      manager,
      `UPDATE documents SET status = 'pending', progress = 0, error = NULL, lease_expires_at = NULL,
         graph_status = 'pending', graph_error = NULL, track_id = coalesce($3, track_id), updated_at = now()
       WHERE tenant_id = $1 AND kb_id = $2 AND (status = 'failed' OR (status = 'processed' AND graph_status = 'failed'))
       RETURNING id`,
      [scope.tenantId, scope.kbId, trackId],
    );
    return rows.map((row) => ingestJob(scope, row.id));
  }
}

const ingestJob = (scope: KbScope, documentId: string): Job => ({
  type: 'ingest',
  tenantId: scope.tenantId,
  kbId: scope.kbId,
  targetId: documentId,
});
