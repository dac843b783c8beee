import type { EntityManager } from 'typeorm';
import { describeOnEachDatabase } from '../../../../test/support/migrated-sql';
import { insertDocument, insertKb, sqlAsDataSource } from '../../../../test/support/sql-rows';
import type { SqlClient } from '@strata/storage';
import { DocumentClaimsRepository } from './document-claims.repository';

// The repository uses only `query` of its managers (and of its DataSource, see sqlAsDataSource).
const asManager = (sql: SqlClient) => sql as unknown as EntityManager;

async function documentRow(sql: SqlClient, id: string) {
  const [row] = await sql.query<{
    status: string;
    attempts: number;
    progress: number;
    error: string | null;
    lease_expires_at: Date | null;
    chunk_count: number;
    graph_status: string;
    content_hash: string | null;
  }>(
    `SELECT status, attempts, progress, error, lease_expires_at, chunk_count, graph_status, content_hash
     FROM documents WHERE id = $1`,
    [id],
  );
  return row;
}

describeOnEachDatabase('DocumentClaimsRepository', (db) => {
  it('claims a pending document once, and takes over a processing one only when its lease ran out', async () => {
    const sql = db();
    const kb = await insertKb(sql);
    const documentId = await insertDocument(sql, kb, 'pending');
    const claims = new DocumentClaimsRepository(sqlAsDataSource(sql), 60);

    const claim = await claims.claim(kb, documentId);
    expect(claim).toMatchObject({ id: documentId, attempt: 1, mimeType: 'text/plain' });
    expect(await claims.claim(kb, documentId)).toBeNull();
    expect(await documentRow(sql, documentId)).toMatchObject({ status: 'processing', attempts: 1 });

    await sql.query(`UPDATE documents SET lease_expires_at = now() - interval '1 second' WHERE id = $1`, [
      documentId,
    ]);
    const takenOver = await claims.claim(kb, documentId);
    expect(takenOver?.attempt).toBe(2);
    // The first claim is lost: its heartbeat, progress and outcome change nothing.
    expect(await claims.heartbeat(kb, claim!, 50)).toBe(false);
    expect(await claims.markFailed(asManager(sql), kb, claim!, 'late')).toBe(false);
    expect(await documentRow(sql, documentId)).toMatchObject({ status: 'processing', progress: 0 });
    expect(await claims.heartbeat(kb, takenOver!, 40)).toBe(true);
    expect((await documentRow(sql, documentId)).progress).toBe(40);
  });

  it('ends a claim processed or failed, and locks the document only while it holds the claim', async () => {
    const sql = db();
    const kb = await insertKb(sql);
    const claims = new DocumentClaimsRepository(sqlAsDataSource(sql), 60);
    const processedId = await insertDocument(sql, kb, 'pending');
    const failedId = await insertDocument(sql, kb, 'pending');
    const processing = (await claims.claim(kb, processedId))!;
    const failing = (await claims.claim(kb, failedId))!;

    expect(await claims.lockWhileClaimed(asManager(sql), kb, processing)).toEqual([processedId]);
    expect(
      await claims.markProcessed(
        asManager(sql),
        kb,
        processing,
        { chunkCount: 3, tokenCount: 30 },
        'pending',
      ),
    ).toBe(true);
    expect(await claims.markFailed(asManager(sql), kb, failing, 'unreadable')).toBe(true);

    expect(await documentRow(sql, processedId)).toMatchObject({
      status: 'processed',
      progress: 100,
      chunk_count: 3,
      graph_status: 'pending',
      lease_expires_at: null,
    });
    expect(await documentRow(sql, failedId)).toMatchObject({
      status: 'failed',
      error: 'unreadable',
      lease_expires_at: null,
    });
    expect(await claims.lockWhileClaimed(asManager(sql), kb, processing)).toEqual([]);
    expect(await claims.status(kb, processedId)).toBe('processed');
  });

  it('records a content hash, and names the document that already holds the same text', async () => {
    const sql = db();
    const kb = await insertKb(sql);
    const claims = new DocumentClaimsRepository(sqlAsDataSource(sql), 60);
    const first = (await claims.claim(kb, await insertDocument(sql, kb, 'pending')))!;
    const second = (await claims.claim(kb, await insertDocument(sql, kb, 'pending')))!;

    expect(await claims.recordContentHash(kb, first, 'same-text')).toEqual({ recorded: true });
    expect(await claims.recordContentHash(kb, second, 'same-text')).toEqual({
      recorded: false,
      heldBy: first.id,
    });
    expect((await documentRow(sql, second.id)).content_hash).toBeNull();
  });

  it("never claims, reads or changes another KB's document", async () => {
    const sql = db();
    const kb = await insertKb(sql);
    const neighbour = await insertKb(sql, kb.tenantId);
    const theirs = await insertDocument(sql, neighbour, 'pending');
    const claims = new DocumentClaimsRepository(sqlAsDataSource(sql), 60);

    expect(await claims.claim(kb, theirs)).toBeNull();
    expect(await claims.status(kb, theirs)).toBeNull();
    const theirClaim = (await claims.claim(neighbour, theirs))!;
    expect(await claims.heartbeat(kb, theirClaim, 90)).toBe(false);
    expect(await claims.markFailed(asManager(sql), kb, theirClaim, 'not yours')).toBe(false);
    expect(await claims.lockWhileClaimed(asManager(sql), kb, theirClaim)).toEqual([]);
    expect(await documentRow(sql, theirs)).toMatchObject({ status: 'processing', progress: 0, error: null });
  });
});
