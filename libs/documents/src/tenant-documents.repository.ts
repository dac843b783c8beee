// What the upload path asks of all a tenant's documents at once: its turn to write, and what it
// holds against its quotas. Each function takes the caller's runner (the upload's transaction).

import type { SqlRunner } from '@strata/storage';

/**
 * Makes the caller's transaction the tenant's only document writer until it ends, so that quota
 * checks and duplicate detection see every earlier upload of the tenant.
 */
export async function lockTenantUploads(sql: SqlRunner, tenantId: string): Promise<void> {
  await sql.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 11))', [tenantId]);
}

/**
 * The tenant's documents and their original files' bytes, over all its KBs, not counting those
 * being deleted: the measures its document and storage quotas are checked against.
 */
export async function tenantDocumentHoldings(
  sql: SqlRunner,
  tenantId: string,
): Promise<{ documents: number; bytes: number }> {
  const [row] = (await sql.query(
    `SELECT count(*) AS documents, coalesce(sum(size_bytes), 0) AS bytes
     FROM documents WHERE tenant_id = $1 AND status <> 'deleting'`,
    [tenantId],
  )) as Array<{ documents: string | number; bytes: string | number }>;
  return { documents: Number(row.documents), bytes: Number(row.bytes) };
}
