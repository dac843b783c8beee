import { checkRedisForTests } from './redis-availability';

export default async function unitGlobalSetup(): Promise<void> {
  await checkRedisForTests();
}
