import { DataSource } from 'typeorm';
import { PlannerStatistics } from '@strata/storage';
import { describeE2E, startTestApp, TestApp } from '../../support/test-app';

/**
 * A server's autovacuum first analyses a new table up to a minute after rows arrive; until then
 * the service analyses tables that hold rows and have no statistics, and leaves the rest to it.
 */
describeE2E('planner statistics on a PostgreSQL server', () => {
  let t: TestApp;
  let db: DataSource;
  beforeAll(async () => {
    t = await startTestApp();
    db = t.app.get(DataSource);
  });
  afterAll(async () => {
    await db.query('DROP TABLE IF EXISTS statistics_probe');
    await t.close();
  });

  const lastAnalyse = async (table: string) => {
    const [row] = await db.query(`SELECT last_analyze FROM pg_stat_user_tables WHERE relname = $1`, [table]);
    return row?.last_analyze ?? null;
  };

  it('analyses a table that holds rows and was never analysed, once', async () => {
    await db.query('CREATE TABLE statistics_probe (id int PRIMARY KEY, label text)');
    expect((await t.app.get(PlannerStatistics).refresh()).map((s) => s.table)).not.toContain(
      'statistics_probe',
    );

    await db.query(`INSERT INTO statistics_probe SELECT i, 'row ' || i FROM generate_series(1, 500) i`);
    expect((await t.app.get(PlannerStatistics).refresh()).map((s) => s.table)).toContain('statistics_probe');
    const analysed = await lastAnalyse('statistics_probe');
    expect(analysed).not.toBeNull();

    // Twice as big: on a server that is autovacuum's to notice, not this.
    await db.query(`INSERT INTO statistics_probe SELECT i, 'row ' || i FROM generate_series(501, 1500) i`);
    expect((await t.app.get(PlannerStatistics).refresh()).map((s) => s.table)).not.toContain(
      'statistics_probe',
    );
    expect(await lastAnalyse('statistics_probe')).toEqual(analysed);
  });
});
