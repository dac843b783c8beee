import type { DataSource, EntityManager } from 'typeorm';
import { isUniqueViolation, updateReturning } from '@strata/storage';
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

/** What recording a document's content hash found: done, or another document already holds that text. */
export type ContentHashRecord = { recorded: true } | { recorded: false; heldBy: string | null };

/**
 * The ingest stage of a document's lifecycle in the `documents` table: leases, so that one process
 * works on a document at a time and a crashed one's work is taken over once its lease runs out,
 * then `processed` or `failed`. Every statement is scoped by tenant and KB, and every change after
 * the claim names the attempt it belongs to: a claim that was lost (reindexed, deleted, taken
 * over) changes nothing.
 */
export class DocumentClaimsRepository {
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

  /** Extends the lease and records progress; false when the claim was lost. */
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

  /**
   * Sets the content hash of the claimed document. The KB's unique index on it refuses a second
   * document with the same text: then the answer names the document that holds it.
   */
  async recordContentHash(scope: KbScope, claim: Claim, hash: string): Promise<ContentHashRecord> {
    try {
      await this.dataSource.query(
        `UPDATE documents SET content_hash = $5 WHERE tenant_id = $1 AND kb_id = $2 AND id = $3 AND attempts = $4`,
        [scope.tenantId, scope.kbId, claim.id, claim.attempt, hash],
      );
      return { recorded: true };
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const [other] = await this.dataSource.query(
        'SELECT id FROM documents WHERE tenant_id = $1 AND kb_id = $2 AND content_hash = $3',
        [scope.tenantId, scope.kbId, hash],
      );
      return { recorded: false, heldBy: other?.id ?? null };
    }
  }

  /**
   * Marks a claimed document processed (searchable) in the caller's transaction, with the state
   * its graph stage starts in; false when the claim was lost.
   */
  async markProcessed(
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

  /** Marks a claimed document failed with `message` in the caller's transaction; false when the claim was lost. */
  async markFailed(manager: EntityManager, scope: KbScope, claim: Claim, message: string): Promise<boolean> {
    const rows = await updateReturning(
      manager,
      `UPDATE documents SET status = 'failed', error = $5, lease_expires_at = NULL, updated_at = now()
       WHERE tenant_id = $1 AND kb_id = $2 AND id = $3 AND attempts = $4 AND status = 'processing'
       RETURNING id`,
      [scope.tenantId, scope.kbId, claim.id, claim.attempt, message],
    );
    return rows.length > 0;
  }

  /**
   * The claimed document's id when it still holds the claim (processing, same attempt), locked in
   * the caller's transaction so that a delete or re-ingestion waits for that transaction; none
   * otherwise.
   */
  async lockWhileClaimed(manager: EntityManager, scope: KbScope, claim: Claim): Promise<string[]> {
    const rows: Array<{ id: string }> = await manager.query(
      `SELECT id FROM documents WHERE tenant_id = $1 AND kb_id = $2 AND id = $3 AND attempts = $4
         AND status = 'processing' FOR SHARE`,
      [scope.tenantId, scope.kbId, claim.id, claim.attempt],
    );
    return rows.map((r) => r.id);
  }

  /** A document's status; null when it is gone. */
  async status(scope: KbScope, documentId: string): Promise<string | null> {
    const [row] = await this.dataSource.query(
      'SELECT status FROM documents WHERE tenant_id = $1 AND kb_id = $2 AND id = $3',
      [scope.tenantId, scope.kbId, documentId],
    );
    return row?.status ?? null;
  }
}
