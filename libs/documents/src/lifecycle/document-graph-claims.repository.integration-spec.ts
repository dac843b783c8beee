import type { DataSource } from 'typeorm';
import type { KbScope } from '@strata/tenancy';
import { describeOnEachDatabase } from '../../../../test/support/migrated-sql';
import { insertDocument, insertKb } from '../../../../test/support/sql-rows';
import { DocumentGraphClaimsRepository } from './document-graph-claims.repository';

describeOnEachDatabase("a document's graph stage", (db) => {
  const repository = () => new DocumentGraphClaimsRepository(db() as unknown as DataSource);

  /** A processed document of `chunks` chunks, processed `minutesAgo` minutes ago. */
  async function processed(kb: KbScope, chunks: number, minutesAgo: number): Promise<string> {
    const id = await insertDocument(db(), kb, 'processed');
    await db().query(
      `UPDATE documents SET chunk_count = $2, processed_at = now() - make_interval(mins => $3) WHERE id = $1`,
      [id, chunks, minutesAgo],
    );
    return id;
  }
  /** A batch's document ids in id order (the order of the claim's rows is not its concern). */
  const ids = (claims: Array<{ id: string }>) => claims.map((x) => x.id).sort();
  const graphStatus = async (id: string) =>
    (
      (await db().query('SELECT graph_status FROM documents WHERE id = $1', [id])) as Array<{
        graph_status: string;
      }>
    )[0].graph_status;

  it('claims the oldest waiting documents within the chunk budget, at least one, never the caller’s own', async () => {
    const kb = await insertKb(db());
    const [big, a, b, c] = [
      await processed(kb, 500, 40),
      await processed(kb, 30, 30),
      await processed(kb, 30, 20),
      await processed(kb, 30, 10),
    ];
    await insertDocument(db(), kb, 'pending');
    const other = await processed(await insertKb(db()), 10, 50);
    const claims = repository();

    expect(await claims.claimBatch(kb, 100)).toEqual([{ id: big, attempt: 1 }]);
    expect(ids(await claims.claimBatch(kb, 70, [big]))).toEqual([a, b].sort());
    // Left `building` by a job that died: claimed again, under a new attempt.
    const again = await claims.claimBatch(kb, 1000, [a, b]);
    expect(ids(again)).toEqual([big, c].sort());
    expect(again.find((x) => x.id === big)?.attempt).toBe(2);
    expect(await graphStatus(other)).toBe('pending');
    expect(await claims.hasWaiting(kb)).toBe(true);
  });

  it('ends only the claims still held, and locks only those', async () => {
    const kb = await insertKb(db());
    const [kept, reclaimed, reingested] = [
      await processed(kb, 1, 3),
      await processed(kb, 1, 2),
      await processed(kb, 1, 1),
    ];
    const claims = repository();
    const batch = await claims.claimBatch(kb, 100);
    expect(batch).toHaveLength(3);
    await db().query(`UPDATE documents SET graph_attempts = graph_attempts + 1 WHERE id = $1`, [reclaimed]);
    await db().query(`UPDATE documents SET status = 'pending' WHERE id = $1`, [reingested]);

    expect(await claims.lockHeld(db(), kb, batch, [kept, reclaimed, reingested])).toEqual([kept]);
    const errors = new Map([[kept, 'x'.repeat(3000)]]);
    expect(await claims.finish(db(), kb, batch, 'failed', errors)).toEqual([kept]);
    const [row] = (await db().query('SELECT graph_status, graph_error FROM documents WHERE id = $1', [
      kept,
    ])) as Array<{
      graph_status: string;
      graph_error: string;
    }>;
    expect(row).toEqual({ graph_status: 'failed', graph_error: 'x'.repeat(2000) });
    expect(await graphStatus(reclaimed)).toBe('building');
    expect(await claims.finish(db(), kb, [], 'done')).toEqual([]);
  });

  it('finds the KBs with waiting documents for the sweep, leaving out the busy ones', async () => {
    const [idle, busy, done] = [await insertKb(db()), await insertKb(db()), await insertKb(db())];
    await processed(idle, 1, 1);
    await processed(busy, 1, 1);
    const finished = await processed(done, 1, 1);
    await db().query(`UPDATE documents SET graph_status = 'done' WHERE id = $1`, [finished]);

    const found = await repository().kbsWithWaitingWork(10_000, [
      { tenantId: busy.tenantId, kbId: busy.kbId },
    ]);
    const mine = found.filter((kb) => [idle, busy, done].some((k) => k.kbId === kb.kbId));
    expect(mine).toEqual([{ tenantId: idle.tenantId, kbId: idle.kbId }]);
    expect(await repository().hasWaiting(done)).toBe(false);
  });
});
