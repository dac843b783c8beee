import { checkRedisForTests } from './redis-availability';
import { checkPostgresForTests } from './test-database';
import { checkVectorStoresForTests } from './vector-store-availability';

export default async function integrationGlobalSetup(): Promise<void> {
  await checkRedisForTests();
  await checkPostgresForTests('the adapter contract suites on the PostgreSQL server');
  await checkVectorStoresForTests();
}
