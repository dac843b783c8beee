import { deleteDocumentsJob, type Job, type SqlRunner } from '@strata/storage';

/**
 * The document jobs the database says are unfinished, least recently touched first, across tenants:
 * documents `pending` (ingest them), `deleting` (their KB's deletion job finishes them) and `processing` past their
 * lease (take the dead run's claim over at its attempt). The job runner's sweep queues them at start
 * and every half lease; each job is scoped to its own tenant and KB when it runs.
 */
export async function unfinishedDocumentJobs(sql: SqlRunner, limit: number): Promise<Job[]> {
  const rows = (await sql.query(
    `SELECT id, tenant_id, kb_id, status, attempts FROM documents
     WHERE status = 'pending' OR status = 'deleting' OR (status = 'processing' AND lease_expires_at < now())
     ORDER BY updated_at LIMIT $1`,
    [limit],
  )) as Array<{ id: string; tenant_id: string; kb_id: string; status: string; attempts: number }>;
  return rows.map((doc) =>
    doc.status === 'deleting'
      ? deleteDocumentsJob({ tenantId: doc.tenant_id, kbId: doc.kb_id })
      : {
          type: 'ingest',
          tenantId: doc.tenant_id,
          kbId: doc.kb_id,
          targetId: doc.id,
          ...(doc.status === 'processing' ? { takeover: doc.attempts } : {}),
        },
  );
}
