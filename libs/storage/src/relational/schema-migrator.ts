import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { releaseAdvisoryLock, takeAdvisoryLock } from './database-catalog.repository';

// Any constant works; it only has to be the same in every replica.
const MIGRATION_LOCK_KEY = 724_391_001;
const INSUFFICIENT_PRIVILEGE = '42501';

/** The schema needs migrations that this connection's role may not apply. */
export class SchemaNotMigrated extends Error {
  constructor(cause: unknown) {
    super(
      "the database schema has migrations to apply and DATABASE_URL's role may not change it: " +
        'run `npm run migrate` with MIGRATION_DATABASE_URL set to the schema owner, then start again',
      { cause },
    );
    this.name = 'SchemaNotMigrated';
  }
}

/**
 * Applies pending migrations. In server mode several replicas may start at once, so the run is
 * serialised by a PostgreSQL advisory lock held on a dedicated connection.
 */
export async function migrateSchema(dataSource: DataSource, serialise: boolean): Promise<string[]> {
  const logger = new Logger('Migrations');
  const lockRunner = serialise ? dataSource.createQueryRunner() : null;
  try {
    if (lockRunner) await takeAdvisoryLock(lockRunner, MIGRATION_LOCK_KEY);
    const applied = await dataSource.runMigrations({ transaction: 'each' }).catch((error: unknown) => {
      throw (error as { code?: string }).code === INSUFFICIENT_PRIVILEGE
        ? new SchemaNotMigrated(error)
        : error;
    });
    for (const migration of applied) logger.log(`applied ${migration.name}`);
    return applied.map((migration) => migration.name);
  } finally {
    if (lockRunner) {
      await releaseAdvisoryLock(lockRunner, MIGRATION_LOCK_KEY).catch(() => undefined);
      await lockRunner.release();
    }
  }
}
