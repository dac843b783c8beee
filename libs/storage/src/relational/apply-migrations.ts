import type { QueryRunner } from 'typeorm';
import { MIGRATIONS } from '@strata/migrations';
import type { SqlRunner } from './sql-runner';

/**
 * Runs every migration's `up` (or the first `count`) through a bare SQL client, for databases the
 * application does not open through TypeORM (adapter contract suites, benchmarks, a migration's
 * own test). Migrations only ever call query().
 */
export async function applyMigrations(client: SqlRunner, count = MIGRATIONS.length): Promise<void> {
  for (const Migration of MIGRATIONS.slice(0, count))
    await new Migration().up(client as unknown as QueryRunner);
}
