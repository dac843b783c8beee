import { PGlite } from '@electric-sql/pglite';
import { Client } from 'pg';
import { applyMigrations } from '../../libs/storage/src/relational/apply-migrations';
import type { SqlClient } from '@strata/storage';
import { createTestDatabase, type TestDatabaseKind } from './test-database';

/**
 * A fresh database with Strata's schema (or as the first `migrations` made it), as a bare SQL
 * client, for adapter contract suites that work on the main database: in-memory PGlite, or a new
 * database on the tests' PostgreSQL server (dropped on close).
 */
export async function openMigratedSqlClient(kind: TestDatabaseKind, migrations?: number): Promise<SqlClient> {
  const client = kind === 'embedded' ? await pgliteClient() : await serverSqlClient();
  await applyMigrations(client, migrations);
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

/**
 * Declares a medium test's suite once per database: embedded PGlite, and the tests' PostgreSQL
 * server unless it is unavailable (the suite then says why it skips). `body` gets the suite's
 * freshly migrated database, opened before its tests and closed after them.
 */
export function describeOnEachDatabase(title: string, body: (sql: () => SqlClient) => void): void {
  const databases = [
    { name: 'embedded PGlite', kind: 'embedded' as const, skipReason: undefined },
    {
      name: 'the PostgreSQL server',
      kind: 'postgres' as const,
      skipReason: process.env.STRATA_PG_UNAVAILABLE,
    },
  ];
  for (const { name, kind, skipReason } of databases) {
    const suite = skipReason ? describe.skip : describe;
    suite(`${title} on ${name}${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
      let sql: SqlClient | null = null;
      beforeAll(async () => {
        sql = await openMigratedSqlClient(kind);
      });
      afterAll(async () => {
        await sql?.close();
      });
      body(() => {
        if (sql === null) throw new Error('the database is opened in beforeAll');
        return sql;
      });
    });
  }
}
