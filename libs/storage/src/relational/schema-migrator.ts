import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';

// Any constant works; it only has to be the same in every replica.
const MIGRATION_LOCK_KEY = 724_391_001;

/**
 * Applies pending migrations. In server mode several replicas may start at once, so the run is
 * serialised by a PostgreSQL advisory lock held on a dedicated connection.
 */
export async function migrateSchema(dataSource: DataSource, serialise: boolean): Promise<string[]> {
  const logger = new Logger('Migrations');
  const lockRunner = serialise ? dataSource.createQueryRunner() : null;
  try {
    if (lockRunner) await lockRunner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    for (const migration of applied) logger.log(`applied ${migration.name}`);
    return applied.map((migration) => migration.name);
  } finally {
    if (lockRunner) {
      await lockRunner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
      await lockRunner.release();
    }
  }
}
