import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { mkdirSync } from 'node:fs';
import type { DataSource } from 'typeorm';
import { lockDataDir } from '../relational/data-dir-lock';
import { updateReturning } from '../relational/update-returning';
import type { SqlClient } from './sql-client';

/**
 * Queries through the application's TypeORM connection pool (it is closed by its owner). Rows
 * come back as rows for every statement, DELETE … RETURNING included.
 */
export function dataSourceSqlClient(dataSource: DataSource): SqlClient {
  return {
    query: <T>(sql: string, params?: unknown[]) => updateReturning<T>(dataSource, sql, params ?? []),
    close: async () => undefined,
    binaryParams: true,
  };
}

/**
 * A PGlite with pgvector of its own, in `dir` (locked to this process) or in memory when null.
 * Used when the server database has no pgvector and no Qdrant is configured.
 */
export async function openEmbeddedSqlClient(dir: string | null): Promise<SqlClient> {
  let unlock = () => undefined as void;
  if (dir !== null) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    unlock = lockDataDir(dir);
  }
  try {
    const db = await PGlite.create({ dataDir: dir ?? undefined, extensions: { vector } });
    // As for the embedded database (see embedded-postgres.thread.ts): no zero-filled WAL segments.
    await db.exec('SET wal_init_zero = off');
    return {
      query: async <T>(sql: string, params?: unknown[]) => (await db.query<T>(sql, params)).rows,
      close: async () => {
        await db.close();
        unlock();
      },
    };
  } catch (error) {
    unlock();
    throw error;
  }
}
