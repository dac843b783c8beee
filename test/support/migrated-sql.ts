import { PGlite } from '@electric-sql/pglite';
import { Client } from 'pg';
import type { QueryRunner } from 'typeorm';
import type { SqlClient } from '../../libs/storage/src/vectors/sql-client';
import { MIGRATIONS } from '../../migrations';
import { createTestDatabase, type TestDatabaseKind } from './test-database';

/**
 * A fresh database with Strata's schema, as a bare SQL client, for adapter contract suites that
 * work on the main database: in-memory PGlite, or a new database on the tests' PostgreSQL server
 * (dropped on close).
 */
export async function openMigratedSqlClient(kind: TestDatabaseKind): Promise<SqlClient> {
  const client = kind === 'embedded' ? await pgliteClient() : await serverClient();
  // Migrations only ever call query(); a client that has it is enough to run them.
  for (const Migration of MIGRATIONS) await new Migration().up(client as unknown as QueryRunner);
  return client;
}

async function pgliteClient(): Promise<SqlClient> {
  const db = await PGlite.create();
  return {
    query: async <T>(sql: string, params?: unknown[]) => (await db.query<T>(sql, params)).rows,
    close: () => db.close(),
  };
}

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
