import { PGlite } from '@electric-sql/pglite';
import { Client } from 'pg';
import { applyMigrations } from '../../libs/storage/src/relational/apply-migrations';
import type { SqlClient } from '../../libs/storage/src/vectors/sql-client';
import { createTestDatabase, type TestDatabaseKind } from './test-database';

/**
 * A fresh database with Strata's schema, as a bare SQL client, for adapter contract suites that
 * work on the main database: in-memory PGlite, or a new database on the tests' PostgreSQL server
 * (dropped on close).
 */
export async function openMigratedSqlClient(kind: TestDatabaseKind): Promise<SqlClient> {
  const client = kind === 'embedded' ? await pgliteClient() : await serverSqlClient();
  await applyMigrations(client);
  return client;
}

async function pgliteClient(): Promise<SqlClient> {
  const db = await PGlite.create();
  return {
    query: async <T>(sql: string, params?: unknown[]) => (await db.query<T>(sql, params)).rows,
    close: () => db.close(),
  };
}

/** A fresh database on the tests' PostgreSQL server as a bare SQL client, dropped on close. */
export async function serverSqlClient(): Promise<SqlClient> {
  const database = await createTestDatabase('postgres');
  const client = new Client({ connectionString: (database.config as { url: string }).url });
  await client.connect();
  return {
    query: async <T>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as T[],
    close: async () => {
      await client.end();
      await database.drop();
    },
    binaryParams: true,
  };
}
