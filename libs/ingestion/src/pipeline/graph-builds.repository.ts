import type { DataSource } from 'typeorm';
import type { KbRef } from '@strata/documents';
import { updateReturning } from '@strata/storage';
import type { KbScope } from '@strata/tenancy';

/**
 * The graph stage's lease: one per KB, so that a single graph job merges into it at a time (the
 * documents' own graph stage is the documents library's `DocumentGraphClaimsRepository`). Every
 * statement is scoped by tenant and KB, except the recovery sweep's, which are the system's own.
 */
export class GraphBuildsRepository {
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

  /** The KBs a live graph job holds: the recovery sweep leaves them to it. */
  async heldKbs(): Promise<KbRef[]> {
    const rows: Array<{ tenant_id: string; kb_id: string }> = await this.dataSource.query(
      'SELECT tenant_id, kb_id FROM graph_builds WHERE lease_expires_at > now()',
    );
    return rows.map((r) => ({ tenantId: r.tenant_id, kbId: r.kb_id }));
  }

  /**
   * The attempt of each KB's last build (0 before the first). A build that died, or died before
   * it claimed the KB, may still look running to a shared queue (Bull, until its lock runs out, a
   * minute or so), and a job of the same key would wait for that: the sweep keys its job by this
   * attempt, so it is a job of its own.
   */
  async lastAttempts(kbs: readonly KbRef[]): Promise<Array<KbRef & { attempt: number }>> {
    const rows: Array<{ tenant_id: string; kb_id: string; attempt: number | null }> =
      await this.dataSource.query(
        `SELECT k.tenant_id, k.kb_id, b.attempt
       FROM unnest($1::uuid[], $2::uuid[]) AS k(tenant_id, kb_id)
       LEFT JOIN graph_builds b ON b.tenant_id = k.tenant_id AND b.kb_id = k.kb_id`,
        [kbs.map((kb) => kb.tenantId), kbs.map((kb) => kb.kbId)],
      );
    return rows.map((r) => ({ tenantId: r.tenant_id, kbId: r.kb_id, attempt: Number(r.attempt ?? 0) }));
  }
}
