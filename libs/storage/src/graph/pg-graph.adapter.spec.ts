import { openMigratedSqlClient } from '../../../../test/support/migrated-sql';
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
