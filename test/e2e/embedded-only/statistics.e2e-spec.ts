import { DataSource } from 'typeorm';
import { PlannerStatistics } from '@strata/storage';
import {
  addMember,
  addTextDocument,
  createKnowledgeBase,
  createTenant,
  loginAdmin,
  waitForDocument,
} from '../../factories';
import { startTestApp, TestApp } from '../../support/test-app';

/** PGlite has no autovacuum: the embedded mode collects planner statistics itself. */
describe('embedded planner statistics', () => {
  let t: TestApp;
  let db: DataSource;
  beforeAll(async () => {
    t = await startTestApp();
    db = t.app.get(DataSource);
  });
  afterAll(() => t.close());

  const reltuples = async (table: string) => {
    const [row] = await db.query(`SELECT reltuples::int AS n FROM pg_class WHERE relname = $1`, [table]);
    return Number(row.n);
  };

  it('analyses a table that grew, so the planner knows how big it is, and leaves it until it doubles', async () => {
    const platform = await loginAdmin(t.http);
    for (let i = 0; i < 3; i++) {
      const tenant = await createTenant(t.http, platform);
      await addMember(t.http, platform, tenant, { role: 'admin' });
    }
    await t.app.get(PlannerStatistics).refresh();
    expect(await reltuples('memberships')).toBeGreaterThanOrEqual(3);

    // Same pages as analysed: not analysed again.
    const again = await t.app.get(PlannerStatistics).refresh();
    expect(again.map((s) => s.table)).not.toContain('memberships');
  });

  it('keeps statistics for the columns queries filter on and none for content', async () => {
    const platform = await loginAdmin(t.http);
    const tenant = await createTenant(t.http, platform);
    const { token } = await addMember(t.http, platform, tenant, { role: 'admin' });
    const kb = await createKnowledgeBase(t.http, token, tenant);
    const id = await addTextDocument(
      t.http,
      token,
      tenant,
      kb,
      'Ada Lovelace worked with Charles Babbage on the Analytical Engine in London.',
    );
    expect((await waitForDocument(t.http, token, tenant, kb, id)).graph_status).toBe('done');
    await t.app.get(PlannerStatistics).refresh();

    const columns = async (table: string) =>
      (
        (await db.query(`SELECT attname FROM pg_stats WHERE tablename = $1`, [table])) as Array<{
          attname: string;
        }>
      ).map((r) => r.attname);
    expect(await columns('graph_entity_mentions')).toEqual(expect.arrayContaining(['kb_id', 'entity_key']));
    expect(await columns('graph_entity_mentions')).not.toContain('description');
    expect(await columns('chunks')).toEqual(expect.arrayContaining(['kb_id', 'document_id']));
    expect(await columns('chunks')).not.toContain('content');
  });
});
