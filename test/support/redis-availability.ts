import Redis from 'ioredis';

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** null when Redis answers, else why it does not. */
export async function redisUnavailableReason(): Promise<string | null> {
  const redis = new Redis(TEST_REDIS_URL, {
    lazyConnect: true,
    connectTimeout: 2000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  try {
    await redis.connect();
    await redis.ping();
    return null;
  } catch (error) {
    return `Redis at ${TEST_REDIS_URL} is unreachable: ${(error as Error).message}`;
  } finally {
    redis.disconnect();
  }
}

/**
 * Runs once before a project that uses Redis. CI requires it; elsewhere an unreachable server
 * makes the Redis suites skip with the reason printed (workers inherit the variable).
 */
export async function checkRedisForTests(): Promise<void> {
  const reason = await redisUnavailableReason();
  if (reason === null) return;
  if (process.env.CI) throw new Error(`${reason}; CI runs the Redis suites`);
  process.env.STRATA_REDIS_UNAVAILABLE = reason;
  process.stdout.write(`\nSKIPPING the Redis suites: ${reason}\n`);
}

/** `describe` for suites that need Redis: skipped, with the reason in its name, when it is down. */
export function describeWithRedis(name: string, body: () => void): void {
  const unavailable = process.env.STRATA_REDIS_UNAVAILABLE;
  if (unavailable) describe.skip(`${name} (skipped: ${unavailable})`, body);
  else describe(name, body);
}
