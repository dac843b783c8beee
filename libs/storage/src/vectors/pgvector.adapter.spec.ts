import { Client } from 'pg';
import { createTestDatabase } from '../../../../test/support/test-database';
import { PgVectorStore } from './pgvector.adapter';
import type { SqlClient } from './sql-client';
import { openEmbeddedSqlClient } from './sql-clients';
import { vectorStoreContract } from './vectors.contract';

vectorStoreContract('pgvector in embedded PGlite', async () => {
  return new PgVectorStore(await openEmbeddedSqlClient(null), 'pgvector (embedded)');
});

/** A fresh database on the tests' PostgreSQL server, dropped when the store closes. */
async function serverClient(): Promise<SqlClient> {
  const database = await createTestDatabase('postgres');
  const client = new Client({ connectionString: (database.config as { url: string }).url });
  await client.connect();
  return {
    query: async <T>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as T[],
    close: async () => {
      await client.end();
      await database.drop();
    },
  };
}

// The global setup checks whether the server can load pgvector and says why not when it cannot.
vectorStoreContract(
  'pgvector on the PostgreSQL server',
  async () => new PgVectorStore(await serverClient(), 'pgvector'),
  {
    skipReason: process.env.STRATA_PGVECTOR_UNAVAILABLE,
  },
);
