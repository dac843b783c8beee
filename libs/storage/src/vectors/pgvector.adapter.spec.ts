import { serverSqlClient } from '../../../../test/support/migrated-sql';
import { EMBEDDED_HNSW, PgVectorStore } from './pgvector.adapter';
import { openEmbeddedSqlClient } from './sql-clients';
import { vectorStoreContract } from './vectors.contract';

vectorStoreContract('pgvector in embedded PGlite', async () => {
  return new PgVectorStore(await openEmbeddedSqlClient(null), 'pgvector (embedded)', EMBEDDED_HNSW);
});

// The global setup checks whether the server can load pgvector and says why not when it cannot.
vectorStoreContract(
  'pgvector on the PostgreSQL server',
  async () => new PgVectorStore(await serverSqlClient(), 'pgvector'),
  {
    skipReason: process.env.STRATA_PGVECTOR_UNAVAILABLE,
  },
);
