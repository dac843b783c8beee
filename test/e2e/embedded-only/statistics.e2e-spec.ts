import { DataSource } from 'typeorm';
import { EmbeddedStatistics } from '@strata/storage';
import { addMember, createTenant, loginAdmin } from '../../factories';
import { startTestApp, TestApp } from '../../support/test-app';

/** PGlite has no autovacuum: the embedded mode collects planner statistics itself. */
describe('embedded planner statistics', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('analyses the embedded database, so the planner knows how big its tables are', async () => {
    const platform = await loginAdmin(t.http);
    for (let i = 0; i < 3; i++) {
      const tenant = await createTenant(t.http, platform);
      await addMember(t.http, platform, tenant, { role: 'admin' });
    }
    const reltuples = async () => {
      const [row] = await t.app
        .get(DataSource)
        .query(`SELECT reltuples::int AS n FROM pg_class WHERE relname = 'memberships'`);
      return Number(row.n);
    };
    await t.app.get(EmbeddedStatistics).analyze();
    expect(await reltuples()).toBeGreaterThanOrEqual(3);
  });
});
