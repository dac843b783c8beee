import { checkRedisForTests } from './redis-availability';
import { checkVectorStoresForTests } from './vector-store-availability';

export default async function unitGlobalSetup(): Promise<void> {
  await checkRedisForTests();
  await checkVectorStoresForTests();
}
