import { describeOnEachDatabase } from '../../../../test/support/migrated-sql';
import { insertChunk, insertDocument, insertKb, sqlAsDataSource } from '../../../../test/support/sql-rows';
import type { SqlClient } from '@strata/storage';
import type { KbScope } from '@strata/tenancy';
import { DocumentStatusReads } from './document-status.repository';

/** A document of the KB with a title, a track id, and (optionally) a graph status and a last change. */
async function documentOf(
  sql: SqlClient,
  kb: KbScope,
  status: string,
  title: string,
  options: { track?: string; graph?: string; updated?: string } = {},
): Promise<string> {
  const id = await insertDocument(sql, kb, status);
  await sql.query(
    `UPDATE documents SET title = $2, track_id = $3, graph_status = $4, updated_at = $5 WHERE id = $1`,
    [id, title, options.track ?? null, options.graph ?? 'done', options.updated ?? '2026-01-01T00:00:00Z'],
  );
  return id;
}

describeOnEachDatabase('DocumentStatusReads', (db) => {
  it("counts, pages and tracks the KB's documents, leaving out those being deleted and other KBs'", async () => {
    const sql = db();
    const kb = await insertKb(sql);
    const neighbour = await insertKb(sql, kb.tenantId);
    const reads = new DocumentStatusReads(sqlAsDataSource(sql));
    const bravo = await documentOf(sql, kb, 'processed', 'bravo', { track: 'insert_a' });
    const alpha = await documentOf(sql, kb, 'failed', 'alpha', { track: 'insert_a' });
    const charlie = await documentOf(sql, kb, 'processed', 'charlie');
    await documentOf(sql, kb, 'deleting', 'aaa going', { track: 'insert_a' });
    await documentOf(sql, neighbour, 'pending', 'theirs', { track: 'insert_a' });

    expect(await reads.counts(kb)).toEqual({ pending: 0, processing: 0, processed: 2, failed: 1 });
    const byTitle = { orderBy: 'title', direction: 'ASC' } as const;
    const first = await reads.page(kb, { ...byTitle, offset: 0, limit: 2 });
    expect(first.total).toBe(3);
    expect(first.documents.map((d) => d.id)).toEqual([alpha, bravo]);
    expect(first.documents[0]).toMatchObject({
      title: 'alpha',
      status: 'failed',
      sizeBytes: 1,
      trackId: 'insert_a',
    });
    expect(first.documents[0].createdAt).toBeInstanceOf(Date);
    const second = await reads.page(kb, { ...byTitle, offset: 2, limit: 2 });
    expect(second.documents.map((d) => d.id)).toEqual([charlie]);
    const processed = await reads.page(kb, {
      ...byTitle,
      direction: 'DESC',
      status: 'processed',
      offset: 0,
      limit: 10,
    });
    expect(processed).toMatchObject({ total: 2, documents: [{ id: charlie }, { id: bravo }] });

    expect((await reads.ofTrack(kb, 'insert_a', 10)).map((d) => d.id).sort()).toEqual([alpha, bravo].sort());
    expect(await reads.ofTrack(kb, 'insert_b', 10)).toEqual([]);
  });

  it("gives each document's opening from its first chunk, and says what is in flight since when", async () => {
    const sql = db();
    const kb = await insertKb(sql);
    const reads = new DocumentStatusReads(sqlAsDataSource(sql));
    const chunked = await documentOf(sql, kb, 'processed', 'long', {
      graph: 'building',
      updated: '2026-02-01T00:00:00Z',
    });
    await insertChunk(sql, kb, chunked, 1, 'the second chunk');
    await insertChunk(sql, kb, chunked, 0, `${'x'.repeat(100)}cut here`);
    const waiting = await documentOf(sql, kb, 'pending', 'new', {
      graph: 'pending',
      updated: '2026-03-01T00:00:00Z',
    });
    await documentOf(sql, kb, 'processed', 'done');

    const openings = await reads.openings(kb, [chunked, waiting]);
    expect([...openings]).toEqual([[chunked, 'x'.repeat(100)]]);
    const inFlight = await reads.inFlight(kb);
    expect(inFlight).toMatchObject({ documents: 1, graphs: 1 });
    expect(new Date(inFlight.since!).toISOString()).toBe('2026-02-01T00:00:00.000Z');
    const idle = await reads.inFlight(await insertKb(sql));
    expect(idle).toEqual({ documents: 0, graphs: 0, since: null });
  });
});
