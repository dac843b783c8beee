// What the service asks of PostgreSQL itself rather than of a table it owns: its catalogs (table
// sizes, installed extensions, the migrations table TypeORM keeps), planner statistics and
// advisory locks. Each function takes the caller's runner.

import type { SqlRunner } from './sql-runner';

/** A table's size in pages. */
export interface TableSize {
  table: string;
  /** Pages the table has now. */
  pages: number;
  /** Pages it had when its statistics were taken (0 when never analysed, or analysed empty). */
  analysedPages: number;
}

/** The public schema's tables with their size now and at their last ANALYZE. */
export async function tableSizes(sql: SqlRunner): Promise<TableSize[]> {
  const rows = (await sql.query(
    `SELECT c.relname AS table, c.relpages AS analysed_pages,
            pg_relation_size(c.oid) / current_setting('block_size')::int AS pages
     FROM pg_class c
     WHERE c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace`,
  )) as Array<{ table: string; analysed_pages: number; pages: string }>;
  return rows.map((r) => ({
    table: r.table,
    pages: Number(r.pages),
    analysedPages: Number(r.analysed_pages),
  }));
}

/** ANALYZEs one table with `statisticsTarget` samples per column; run it in a transaction of its own. */
export async function analyseTable(sql: SqlRunner, table: string, statisticsTarget: number): Promise<void> {
  await sql.query(`SET LOCAL default_statistics_target = ${Math.trunc(statisticsTarget)}`);
  await sql.query(`ANALYZE ${quoteIdentifier(table)}`);
}

/** Waits for the session-level advisory lock `key` (held until released or the session ends). */
export async function takeAdvisoryLock(sql: SqlRunner, key: number): Promise<void> {
  await sql.query('SELECT pg_advisory_lock($1)', [key]);
}

export async function releaseAdvisoryLock(sql: SqlRunner, key: number): Promise<void> {
  await sql.query('SELECT pg_advisory_unlock($1)', [key]);
}

/** Whether the server can load pgvector (installed for its version). */
export async function vectorExtensionAvailable(sql: SqlRunner): Promise<boolean> {
  const rows = (await sql.query(`SELECT 1 FROM pg_available_extensions WHERE name = 'vector'`)) as unknown[];
  return rows.length > 0;
}

/** The migrations applied to the schema, oldest first. */
export async function appliedMigrations(sql: SqlRunner): Promise<string[]> {
  const rows = (await sql.query('SELECT name FROM schema_migrations ORDER BY timestamp')) as Array<{
    name: string;
  }>;
  return rows.map((r) => r.name);
}

const quoteIdentifier = (name: string) => `"${name.replace(/"/g, '""')}"`;
