import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { describeOnEachDatabase } from '../../../../test/support/migrated-sql';
import { insertKb } from '../../../../test/support/sql-rows';
import type { SqlClient } from '@strata/storage';
import type { KbScope } from '../../../tenancy/src';
import { DocumentRequeueRepository } from './document-requeue.repository';

async function insertDocument(db: SqlClient, kb: KbScope, status: string): Promise<string> {
  const id = randomUUID();
  await db.query(
    `INSERT INTO documents (id, tenant_id, kb_id, title, mime_type, size_bytes, source_hash, blob_key,
       status, progress, error, graph_status, graph_error)
     VALUES ($1, $2, $3, 'Doc', 'text/markdown', 10, $6, $6, $4, 100, $5, 'failed', 'it broke')`,
    [id, kb.tenantId, kb.kbId, status, status === 'failed' ? 'unreadable' : null, `source-${id}`],
  );
  return id;
}

describeOnEachDatabase('DocumentRequeueRepository', (db) => {
  it("puts the KB's live documents back to pending, and no other KB's", async () => {
    const sql = db();
    const kb = await insertKb(sql);
    const neighbour = await insertKb(sql, kb.tenantId);
    const processed = await insertDocument(sql, kb, 'processed');
    const failed = await insertDocument(sql, kb, 'failed');
    const deleting = await insertDocument(sql, kb, 'deleting');
    const theirs = await insertDocument(sql, neighbour, 'processed');

    // Only `query` is used; the real database answers it.
    const jobs = await new DocumentRequeueRepository().requeueAll(sql as unknown as EntityManager, kb);

    expect(jobs.map((j) => j.targetId).sort()).toEqual([processed, failed].sort());
    expect(jobs.every((j) => j.type === 'ingest' && j.tenantId === kb.tenantId && j.kbId === kb.kbId)).toBe(
      true,
    );
    const rows = await sql.query<{
      id: string;
      status: string;
      progress: number;
      error: string | null;
      graph_status: string;
      graph_error: string | null;
    }>('SELECT id, status, progress, error, graph_status, graph_error FROM documents');
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const id of [processed, failed]) {
      expect(byId.get(id)).toMatchObject({
        status: 'pending',
        progress: 0,
        error: null,
        graph_status: 'pending',
        graph_error: null,
      });
    }
    expect(byId.get(deleting)?.status).toBe('deleting');
    expect(byId.get(theirs)).toMatchObject({ status: 'processed', graph_status: 'failed' });
  });

  it("puts back, under a new track id, the KB's documents whose processing or graph stage failed", async () => {
    const sql = db();
    const kb = await insertKb(sql);
    const neighbour = await insertKb(sql, kb.tenantId);
    // insertDocument's documents have a failed graph stage.
    const failed = await insertDocument(sql, kb, 'failed');
    const graphFailed = await insertDocument(sql, kb, 'processed');
    const pending = await insertDocument(sql, kb, 'pending');
    const theirs = await insertDocument(sql, neighbour, 'failed');

    const jobs = await new DocumentRequeueRepository().requeueFailed(
      sql as unknown as EntityManager,
      kb,
      'reprocess_1',
    );

    expect(jobs.map((j) => j.targetId).sort()).toEqual([failed, graphFailed].sort());
    const rows = await sql.query<{ id: string; status: string; track_id: string | null }>(
      'SELECT id, status, track_id FROM documents',
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(failed)).toMatchObject({ status: 'pending', track_id: 'reprocess_1' });
    expect(byId.get(graphFailed)).toMatchObject({ status: 'pending', track_id: 'reprocess_1' });
    expect(byId.get(pending)?.track_id).toBeNull();
    expect(byId.get(theirs)).toMatchObject({ status: 'failed', track_id: null });
  });
});
