import type { DataSource, EntityManager } from 'typeorm';
import type { DocumentOwnership } from '@strata/graph';
import { updateReturning } from '@strata/storage';
import type { KbScope } from '@strata/tenancy';

/** A document this process is working on, identified by the attempt number it claimed. */
export interface Claim {
  id: string;
  attempt: number;
}

/** A claim with what processing needs to know of the document to read its original. */
export interface ClaimedDocument extends Claim {
  sourceName: string | null;
  mimeType: string;
}

/**
 * Leases on documents, so that one process works on a document at a time and a crashed one's
 * work is taken over once its lease runs out. Every statement is scoped by tenant and KB.
 */
export class DocumentClaims {
  constructor(
    private readonly dataSource: DataSource,
    private readonly leaseSeconds: number,
  ) {}

  /** Claims a pending document, or a processing one whose lease has expired; null if neither. */
  async claim(scope: KbScope, documentId: string): Promise<ClaimedDocument | null> {
    const rows = await updateReturning<{
      id: string;
      source_name: string | null;
      mime_type: string;
      attempts: number;
    }>(
      this.dataSource,
      `UPDATE documents
       SET status = 'processing', attempts = attempts + 1, progress = 0, error = NULL,
           lease_expires_at = now() + make_interval(secs => $4), updated_at = now()
       WHERE tenant_id = $1 AND kb_id = $2 AND id = $3
         AND (status = 'pending' OR (status = 'processing' AND lease_expires_at < now()))
       RETURNING id, source_name, mime_type, attempts`,
      [scope.tenantId, scope.kbId, documentId, this.leaseSeconds],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      id: row.id,
      attempt: Number(row.attempts),
      sourceName: row.source_name,
      mimeType: row.mime_type,
    };
  }

  /** Extends the lease and records progress; false when the claim was lost (reindexed, deleted, taken over). */
  async heartbeat(scope: KbScope, claim: Claim, progress?: number): Promise<boolean> {
    const rows = await updateReturning(
      this.dataSource,
      `UPDATE documents SET lease_expires_at = now() + make_interval(secs => $5),
         progress = coalesce($6, progress), updated_at = now()
       WHERE tenant_id = $1 AND kb_id = $2 AND id = $3 AND attempts = $4 AND status = 'processing'
       RETURNING id`,
      [scope.tenantId, scope.kbId, claim.id, claim.attempt, this.leaseSeconds, progress ?? null],
    );
    return rows.length > 0;
  }
}

/**
 * Marks a claimed document processed (searchable) in the caller's transaction, with the state
 * its graph stage starts in; false when the claim was lost.
 */
export async function markProcessed(
  manager: EntityManager,
  scope: KbScope,
  claim: Claim,
  counts: { chunkCount: number; tokenCount: number },
  graph: 'pending' | 'done' | 'skipped',
): Promise<boolean> {
  const rows = await updateReturning(
    manager,
    `UPDATE documents SET status = 'processed', progress = 100, error = NULL, lease_expires_at = NULL,
       chunk_count = $5, token_count = $6, graph_status = $7, graph_error = NULL,
       processed_at = now(), updated_at = now()
     WHERE tenant_id = $1 AND kb_id = $2 AND id = $3 AND attempts = $4 AND status = 'processing'
     RETURNING id`,
    [scope.tenantId, scope.kbId, claim.id, claim.attempt, counts.chunkCount, counts.tokenCount, graph],
  );
  return rows.length > 0;
}

/**
 * The documents of an ingest claim that still hold it (processing, same attempt), locked in the
 * caller's transaction: a delete or re-ingestion waits for the change to commit.
 */
export function processingOwnership(scope: KbScope, claim: Claim): DocumentOwnership {
  return async (manager, documentIds) => {
    if (!documentIds.includes(claim.id)) return [];
    const rows: Array<{ id: string }> = await manager.query(
      `SELECT id FROM documents WHERE tenant_id = $1 AND kb_id = $2 AND id = $3 AND attempts = $4
         AND status = 'processing' FOR SHARE`,
      [scope.tenantId, scope.kbId, claim.id, claim.attempt],
    );
    return rows.map((r) => r.id);
  };
}
