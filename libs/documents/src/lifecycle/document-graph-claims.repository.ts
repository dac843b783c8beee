import type { DataSource } from 'typeorm';
import { type SqlRunner, updateReturning } from '@strata/storage';
import type { KbScope } from '@strata/tenancy';
import type { Claim } from './document-claims.repository';

/** A document a graph job claimed, identified by the graph attempt it claimed. */
export type GraphClaim = Claim;

/** A KB named by its ids, outside any request or job (the sweep makes jobs of it). */
export interface KbRef {
  tenantId: string;
  kbId: string;
}

/** The graph stage a document ends in. */
export type GraphOutcome = 'done' | 'failed' | 'skipped';

/**
 * The graph stage of a document's lifecycle in the `documents` table (`graph_status`,
 * `graph_attempts`, `graph_error`): a processed document waits for its KB's graph job, which
 * claims it in a batch and ends it `done`, `failed` or `skipped`. The caller holds the KB's build
 * lease (the ingestion library's), so a claim needs no lease of its own; every change after the
 * claim names the graph attempt it belongs to, and a re-ingestion or delete since then changes
 * nothing. Every statement is scoped by tenant and KB but the recovery sweep's, which is the
 * system's own.
 */
export class DocumentGraphClaimsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Claims the KB's next documents waiting for their graph, oldest processed first, up to
   * `maxChunks` chunks in all (at least one document, however large). Documents left `building`
   * by a job that died are claimed again. `inFlight` are the caller's own documents still being
   * built, which stay its.
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
    const rows = (await this.dataSource.query(
      `SELECT 1 FROM documents WHERE tenant_id = $1 AND kb_id = $2 AND status = 'processed'
         AND graph_status IN ('pending', 'building') LIMIT 1`,
      [scope.tenantId, scope.kbId],
    )) as unknown[];
    return rows.length > 0;
  }

  /**
   * Locks those of `documentIds` still held by their claim (processed, building, same graph
   * attempt) in the caller's transaction and answers their ids, in id order.
   */
  async lockHeld(
    sql: SqlRunner,
    scope: KbScope,
    claims: readonly GraphClaim[],
    documentIds: readonly string[],
  ): Promise<string[]> {
    const attempts = new Map(claims.map((c) => [c.id, c.attempt]));
    const rows = (await sql.query(
      `SELECT d.id FROM documents d
       JOIN unnest($3::uuid[], $4::int[]) AS c(id, attempt) ON c.id = d.id AND c.attempt = d.graph_attempts
       WHERE d.tenant_id = $1 AND d.kb_id = $2 AND d.status = 'processed' AND d.graph_status = 'building'
       ORDER BY d.id
       FOR SHARE OF d`,
      [scope.tenantId, scope.kbId, [...documentIds], documentIds.map((id) => attempts.get(id) ?? -1)],
    )) as Array<{ id: string }>;
    return rows.map((r) => r.id);
  }

  /**
   * Ends the claimed documents' graph stage with `status` (and each one's error, if any); answers
   * the ids still held by their claim, which are the ones it changed.
   */
  async finish(
    sql: SqlRunner,
    scope: KbScope,
    claims: readonly GraphClaim[],
    status: GraphOutcome,
    errors: ReadonlyMap<string, string> = new Map(),
  ): Promise<string[]> {
    if (claims.length === 0) return [];
    const rows = await updateReturning<{ id: string }>(
      sql,
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
   * KBs whose documents wait for their graph (the recovery sweep), leaving out `busy` ones (those
   * a live graph job holds), at most `limit`.
   */
  async kbsWithWaitingWork(limit: number, busy: readonly KbRef[]): Promise<KbRef[]> {
    const rows = (await this.dataSource.query(
      `SELECT DISTINCT d.tenant_id, d.kb_id FROM documents d
       WHERE d.status = 'processed' AND d.graph_status IN ('pending', 'building')
         AND (d.tenant_id, d.kb_id) NOT IN (SELECT * FROM unnest($2::uuid[], $3::uuid[]) AS b(tenant_id, kb_id))
       LIMIT $1`,
      [limit, busy.map((kb) => kb.tenantId), busy.map((kb) => kb.kbId)],
    )) as Array<{ tenant_id: string; kb_id: string }>;
    return rows.map((r) => ({ tenantId: r.tenant_id, kbId: r.kb_id }));
  }
}
