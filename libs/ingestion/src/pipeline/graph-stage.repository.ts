import type { DataSource, EntityManager } from 'typeorm';
import type { DocumentOwnership } from '@strata/graph';
import { updateReturning } from '@strata/storage';
import type { KbScope } from '@strata/tenancy';

/** A document a graph job claimed, identified by the graph attempt it claimed. */
export interface GraphClaim {
  id: string;
  attempt: number;
}

type Db = Pick<EntityManager, 'query'>;

/**
 * The graph stage's bookkeeping: the one lease per KB that lets a single graph job merge into it,
 * and the documents' `graph_status`. Every statement is scoped by tenant and KB, except the
 * recovery sweep's search for KBs with graph work, which is the system's own.
 */
export class GraphStageRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly leaseSeconds: number,
  ) {}

  /** Takes the KB's build lease when it is free or expired; answers the attempt that holds it, or null. */
  async claimKb(scope: KbScope): Promise<number | null> {
    const rows = await updateReturning<{ attempt: number }>(
      this.dataSource,
      `INSERT INTO graph_builds (tenant_id, kb_id, attempt, lease_expires_at)
       SELECT $1, $2, 1, now() + make_interval(secs => $3)
       FROM knowledge_bases WHERE tenant_id = $1 AND id = $2
       ON CONFLICT (tenant_id, kb_id) DO UPDATE
         SET attempt = graph_builds.attempt + 1, lease_expires_at = excluded.lease_expires_at
         WHERE graph_builds.lease_expires_at < now()
       RETURNING attempt`,
      [scope.tenantId, scope.kbId, this.leaseSeconds],
    );
    return rows[0] ? Number(rows[0].attempt) : null;
  }

  /** Extends the KB's lease; false when another job took it over. */
  async extendKb(scope: KbScope, attempt: number): Promise<boolean> {
    const rows = await updateReturning(
      this.dataSource,
      `UPDATE graph_builds SET lease_expires_at = now() + make_interval(secs => $4)
       WHERE tenant_id = $1 AND kb_id = $2 AND attempt = $3 RETURNING attempt`,
      [scope.tenantId, scope.kbId, attempt, this.leaseSeconds],
    );
    return rows.length > 0;
  }

  /** Lets the KB's lease go at once, so the next graph job need not wait for it to run out. */
  async releaseKb(scope: KbScope, attempt: number): Promise<void> {
    await this.dataSource.query(
      `UPDATE graph_builds SET lease_expires_at = now() - interval '1 second'
       WHERE tenant_id = $1 AND kb_id = $2 AND attempt = $3`,
      [scope.tenantId, scope.kbId, attempt],
    );
  }

  /**
   * Claims the KB's next documents waiting for their graph, oldest processed first, up to
   * `maxChunks` chunks in all (at least one document, however large). Documents left `building`
   * by a job that died are claimed again: the caller holds the KB's lease. `inFlight` are the
   * caller's own documents still being built, which stay its.
   */
  async claimBatch(
    scope: KbScope,
    maxChunks: number,
    inFlight: readonly string[] = [],
  ): Promise<GraphClaim[]> {
    const rows = await updateReturning<{ id: string; graph_attempts: number }>(
      this.dataSource,
      `WITH waiting AS (
         SELECT id, sum(chunk_count) OVER (ORDER BY processed_at, id) AS running,
                row_number() OVER (ORDER BY processed_at, id) AS n
         FROM documents
         WHERE tenant_id = $1 AND kb_id = $2 AND status = 'processed'
           AND graph_status IN ('pending', 'building') AND NOT (id = ANY($4::uuid[]))
         ORDER BY processed_at, id
         LIMIT 500
       )
       UPDATE documents d
       SET graph_status = 'building', graph_attempts = d.graph_attempts + 1, graph_error = NULL
       FROM waiting w
       WHERE d.tenant_id = $1 AND d.kb_id = $2 AND d.id = w.id AND (w.running <= $3 OR w.n = 1)
       RETURNING d.id, d.graph_attempts`,
      [scope.tenantId, scope.kbId, maxChunks, [...inFlight]],
    );
    return rows.map((r) => ({ id: r.id, attempt: Number(r.graph_attempts) }));
  }

  /** Whether documents of the KB wait for their graph. */
  async hasWaiting(scope: KbScope): Promise<boolean> {
    const rows = await this.dataSource.query(
      `SELECT 1 FROM documents WHERE tenant_id = $1 AND kb_id = $2 AND status = 'processed'
         AND graph_status IN ('pending', 'building') LIMIT 1`,
      [scope.tenantId, scope.kbId],
    );
    return rows.length > 0;
  }

  /** The chunks of the claimed documents, in document order. */
  async chunksOf(
    scope: KbScope,
    documentIds: readonly string[],
  ): Promise<Array<{ id: string; documentId: string; content: string }>> {
    const rows: Array<{ id: string; document_id: string; content: string }> = await this.dataSource.query(
      `SELECT id, document_id, content FROM chunks
       WHERE tenant_id = $1 AND kb_id = $2 AND document_id = ANY($3::uuid[])
       ORDER BY document_id, ordinal`,
      [scope.tenantId, scope.kbId, [...documentIds]],
    );
    return rows.map((r) => ({ id: r.id, documentId: r.document_id, content: r.content }));
  }

  /**
   * Locks the claimed documents still held by their claim (processed, building, same graph
   * attempt) and answers their ids: a re-ingestion or delete since the claim takes the document
   * out of the batch.
   */
  ownership(scope: KbScope, claims: readonly GraphClaim[]): DocumentOwnership {
    const attempts = new Map(claims.map((c) => [c.id, c.attempt]));
    return async (manager, documentIds) => {
      const rows: Array<{ id: string }> = await manager.query(
        `SELECT d.id FROM documents d
         JOIN unnest($3::uuid[], $4::int[]) AS c(id, attempt) ON c.id = d.id AND c.attempt = d.graph_attempts
         WHERE d.tenant_id = $1 AND d.kb_id = $2 AND d.status = 'processed' AND d.graph_status = 'building'
         ORDER BY d.id
         FOR SHARE OF d`,
        [scope.tenantId, scope.kbId, documentIds, documentIds.map((id) => attempts.get(id) ?? -1)],
      );
      return rows.map((r) => r.id);
    };
  }

  /** Ends the claimed documents' graph stage with `status`; answers the ids still held by their claim. */
  async finish(
    db: Db,
    scope: KbScope,
    claims: readonly GraphClaim[],
    status: 'done' | 'failed' | 'skipped',
    errors: ReadonlyMap<string, string> = new Map(),
  ): Promise<string[]> {
    if (claims.length === 0) return [];
    const rows = await updateReturning<{ id: string }>(
      db,
      `UPDATE documents d SET graph_status = $3, graph_error = c.error, updated_at = now()
       FROM unnest($4::uuid[], $5::int[], $6::text[]) AS c(id, attempt, error)
       WHERE d.tenant_id = $1 AND d.kb_id = $2 AND d.id = c.id AND d.graph_attempts = c.attempt
         AND d.status = 'processed' AND d.graph_status = 'building'
       RETURNING d.id`,
      [
        scope.tenantId,
        scope.kbId,
        status,
        claims.map((c) => c.id),
        claims.map((c) => c.attempt),
        claims.map((c) => errors.get(c.id)?.slice(0, 2000) ?? null),
      ],
    );
    return rows.map((r) => r.id);
  }

  /**
   * KBs whose documents wait for their graph and that no live graph job holds (the recovery
   * sweep), each with the attempt of its last build (0 before the first). A build that died, or
   * died before it claimed the KB, may still look running to a shared queue (Bull, until its lock
   * runs out, a minute or so), and a job of the same key would wait for that: the sweep's job is
   * keyed by this attempt, so it is a job of its own.
   */
  async kbsWithWaitingWork(
    limit: number,
  ): Promise<Array<{ tenantId: string; kbId: string; attempt: number }>> {
    const rows: Array<{ tenant_id: string; kb_id: string; attempt: number | null }> =
      await this.dataSource.query(
        `SELECT DISTINCT d.tenant_id, d.kb_id, b.attempt FROM documents d
       LEFT JOIN graph_builds b ON b.tenant_id = d.tenant_id AND b.kb_id = d.kb_id
       WHERE d.status = 'processed' AND d.graph_status IN ('pending', 'building')
         AND (b.lease_expires_at IS NULL OR b.lease_expires_at <= now())
       LIMIT $1`,
        [limit],
      );
    return rows.map((r) => ({ tenantId: r.tenant_id, kbId: r.kb_id, attempt: Number(r.attempt ?? 0) }));
  }
}
