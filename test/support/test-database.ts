import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import type { DatabaseConfig } from '@strata/core';

export type TestDatabaseKind = 'embedded' | 'postgres';

export const testDatabaseKind = (): TestDatabaseKind =>
  process.env.STRATA_TEST_DB === 'postgres' ? 'postgres' : 'embedded';

/** Server of the PostgreSQL e2e run; each suite gets its own database on it. */
export const TEST_DATABASE_URL =
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  config: DatabaseConfig;
  drop(): Promise<void>;
}

/** Whether the PostgreSQL server answers; null when it does, else the reason it does not. */
export async function postgresUnavailableReason(): Promise<string | null> {
  const client = new Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (error) {
    return `PostgreSQL at ${TEST_DATABASE_URL} is unreachable: ${(error as Error).message}`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Says once, before a project runs, whether the PostgreSQL server answers. CI requires it; elsewhere
 * an unreachable server sets STRATA_PG_UNAVAILABLE (workers inherit it) so `suites` skip with
 * the reason printed.
 */
export async function checkPostgresForTests(suites: string): Promise<void> {
  const reason = await postgresUnavailableReason();
  if (reason === null) return;
  if (process.env.CI) throw new Error(`${reason}; CI runs ${suites} on PostgreSQL`);
  process.env.STRATA_PG_UNAVAILABLE = reason;
  process.stdout.write(`\nSKIPPING ${suites}: ${reason}\n`);
}

/** A fresh, empty database: in-memory PGlite, or a new database on the PostgreSQL server. */
export async function createTestDatabase(kind: TestDatabaseKind = testDatabaseKind()): Promise<TestDatabase> {
  if (kind === 'embedded')
    return { config: { kind: 'embedded', dataDir: null }, drop: async () => undefined };
  const name = `strata_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    config: { kind: 'postgres', url: url.toString(), poolSize: 5 },
    drop: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

async function adminQuery(sql: string): Promise<void> {
  const client = new Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * A fresh database another process can open after this one closes it: a PGlite directory (`env`
 * gives DATA_DIR) or a new PostgreSQL database (`env` gives DATABASE_URL).
 */
export async function createSharedTestDatabase(): Promise<TestDatabase & { env: Record<string, string> }> {
  if (testDatabaseKind() === 'postgres') {
    const db = await createTestDatabase('postgres');
    return { ...db, env: { DATABASE_URL: (db.config as { url: string }).url } };
  }
  const dir = mkdtempSync(join(tmpdir(), 'strata-shared-'));
  return {
    config: { kind: 'embedded', dataDir: dir },
    drop: async () => rmSync(dir, { recursive: true, force: true }),
    env: { DATA_DIR: dir },
  };
}
