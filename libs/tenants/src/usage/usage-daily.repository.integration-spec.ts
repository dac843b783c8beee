import type { DataSource } from 'typeorm';
import { describeOnEachDatabase } from '../../../../test/support/migrated-sql';
import { testTenantScope } from '../../../../test/support/scopes';
import { insertKb } from '../../../../test/support/sql-rows';
import { UsageDailyRepository } from './usage-daily.repository';

describeOnEachDatabase('daily usage counters', (db) => {
  const repository = () => new UsageDailyRepository(db() as unknown as DataSource);
  const zeros = {
    queries: 0,
    tokens_in: 0,
    tokens_out: 0,
    embedding_tokens: 0,
    bytes_ingested: 0,
    documents: 0,
  };

  it("adds to today's row of the tenant alone, and lists the recent days newest first", async () => {
    const { tenantId } = await insertKb(db());
    const scope = testTenantScope(tenantId);
    const stranger = await insertKb(db());
    const usage = repository();
    await usage.add(scope, { queries: 1, tokens_in: 120 });
    await usage.add(scope, { queries: 2, tokens_out: 7, documents: 0 });
    await usage.add(scope, {});
    await usage.add(testTenantScope(stranger.tenantId), { queries: 50 });
    await db().query(`INSERT INTO usage_daily (tenant_id, day, queries) VALUES ($1, current_date - 10, 4)`, [
      tenantId,
    ]);

    const week = await usage.recent(scope, 7);
    expect(week).toEqual([
      {
        ...zeros,
        day: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
        queries: 3,
        tokens_in: 120,
        tokens_out: 7,
      },
    ]);
    const days = await usage.recent(scope, 11);
    expect(days.map((d) => d.queries)).toEqual([3, 4]);
    expect(days[0].day > days[1].day).toBe(true);
    expect(await usage.recent(testTenantScope((await insertKb(db())).tenantId), 30)).toEqual([]);
  });
});
