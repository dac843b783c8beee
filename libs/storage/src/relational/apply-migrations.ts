import type { QueryRunner } from 'typeorm';
import { MIGRATIONS } from '@strata/migrations';
import type { SqlRunner } from './sql-runner';

/**
 * Runs every migration's `up` through a bare SQL client, for databases the application does not
 * open through TypeORM (adapter contract suites, benchmarks). Migrations only ever call query().
 */
export async function applyMigrations(client: SqlRunner): Promise<void> {
  for (const Migration of MIGRATIONS) await new Migration().up(client as unknown as QueryRunner);
}
