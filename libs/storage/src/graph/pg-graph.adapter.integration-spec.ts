import { randomUUID } from 'node:crypto';
import { openMigratedSqlClient } from '../../../../test/support/migrated-sql';
import { testKbScope } from '../../../../test/support/scopes';
import type { SqlClient } from '../vectors/sql-client';
import { graphStoreContract } from './graph.contract';
import { PgGraphStore } from './pg-graph.adapter';

graphStoreContract('PostgreSQL tables in embedded PGlite', async () => {
  return new PgGraphStore(await openMigratedSqlClient('embedded'), 'postgres (embedded)');
});

graphStoreContract(
  'PostgreSQL tables on the PostgreSQL server',
  async () => new PgGraphStore(await openMigratedSqlClient('postgres'), 'postgres'),
  { skipReason: process.env.STRATA_PG_UNAVAILABLE },
);

describe('PgGraphStore writes', () => {
  let sql: SqlClient;
  let store: PgGraphStore;
  beforeAll(async () => {
    sql = await openMigratedSqlClient('embedded');
    store = new PgGraphStore(sql, 'postgres (embedded)');
  });
  afterAll(() => store.close());

  it('leave an entity or relation whose upsert would not change it as it is', async () => {
    const scope = testKbScope(randomUUID(), randomUUID());
    const sources = [randomUUID(), randomUUID()];
    const oslo = {
      id: randomUUID(),
      key: 'oslo',
      name: 'Oslo',
      type: 'city',
      description: 'A city.',
      sourceChunkIds: sources,
    };
    const norway = { ...oslo, id: randomUUID(), key: 'norway', name: 'Norway' };
    const capital = {
      id: randomUUID(),
      sourceKey: 'norway',
      targetKey: 'oslo',
      keywords: 'capital',
      description: 'Capital of.',
      weight: 2,
      sourceChunkIds: sources,
    };
    /** The transaction that last wrote each row: an unchanged row keeps it. */
    const writers = async () =>
      [
        ...(await sql.query<{ xmin: string }>(
          'SELECT xmin::text FROM graph_entities WHERE tenant_id = $1 AND kb_id = $2 ORDER BY key',
          [scope.tenantId, scope.kbId],
        )),
        ...(await sql.query<{ xmin: string }>(
          'SELECT xmin::text FROM graph_relations WHERE tenant_id = $1 AND kb_id = $2',
          [scope.tenantId, scope.kbId],
        )),
      ].map((r) => r.xmin);
    await store.upsertEntities(scope, [oslo, norway]);
    await store.upsertRelations(scope, [capital]);
    const first = await writers();

    await store.upsertEntities(scope, [{ ...oslo, sourceChunkIds: [...sources] }, norway]);
    await store.upsertRelations(scope, [{ ...capital }]);
    expect(await writers()).toEqual(first);

    await store.upsertEntities(scope, [{ ...oslo, sourceChunkIds: [...sources, randomUUID()] }, norway]);
    await store.upsertRelations(scope, [{ ...capital, weight: 3 }]);
    const [norwayAfter, osloAfter, capitalAfter] = await writers();
    expect(norwayAfter).toBe(first[0]);
    expect(osloAfter).not.toBe(first[1]);
    expect(capitalAfter).not.toBe(first[2]);
    expect((await store.entities(scope, ['oslo']))[0].sourceChunkIds).toHaveLength(3);
    expect((await store.relationsOf(scope, ['oslo'], 5))[0].weight).toBe(3);
  });
});
