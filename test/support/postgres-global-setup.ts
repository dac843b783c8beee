import { checkRedisForTests } from './redis-availability';
import { postgresUnavailableReason } from './test-database';

/**
 * Runs once before the PostgreSQL e2e project. CI requires the server; elsewhere an unreachable
 * server makes the suites skip with the reason printed (workers inherit the variable).
 */
export default async function postgresGlobalSetup(): Promise<void> {
  await checkRedisForTests();
  const reason = await postgresUnavailableReason();
  if (reason === null) return;
  if (process.env.CI) throw new Error(`${reason}; CI runs the e2e suites on PostgreSQL`);
  process.env.STRATA_PG_UNAVAILABLE = reason;
  process.stdout.write(`\nSKIPPING the PostgreSQL e2e run: ${reason}\n`);
}
