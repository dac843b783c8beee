import { buildChangedApps } from './built-apps-global-setup';
import { checkRedisForTests } from './redis-availability';
import { checkPostgresForTests } from './test-database';

/** Runs once before the PostgreSQL e2e project. */
export default async function postgresGlobalSetup(): Promise<void> {
  await checkRedisForTests();
  await checkPostgresForTests('the PostgreSQL e2e run');
  buildChangedApps();
}
