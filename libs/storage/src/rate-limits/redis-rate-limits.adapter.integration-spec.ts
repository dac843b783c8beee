import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { TEST_REDIS_URL } from '../../../../test/support/redis-availability';
import { rateLimitStoreContract } from './rate-limits.contract';
import { RedisRateLimitStore } from './redis-rate-limits.adapter';

// Redis runs on developer machines and in CI; without it (outside CI) this suite skips with the reason.
rateLimitStoreContract(
  `redis (${TEST_REDIS_URL})`,
  async () => RedisRateLimitStore.connect(TEST_REDIS_URL, 'strata-test'),
  { skipReason: process.env.STRATA_REDIS_UNAVAILABLE },
);

const describeRedis = process.env.STRATA_REDIS_UNAVAILABLE ? describe.skip : describe;

describeRedis('RedisRateLimitStore prefixes', () => {
  const run = randomUUID();
  const stores = [`deployment-a-${run}`, `deployment-b-${run}`].map((prefix) =>
    RedisRateLimitStore.connect(TEST_REDIS_URL, prefix),
  );
  const inspector = new Redis(TEST_REDIS_URL);
  afterAll(async () => {
    for (const store of stores) await store.close();
    await inspector.quit();
  });

  it("keeps every key under its deployment's prefix, so deployments sharing a Redis count apart", async () => {
    const [a, b] = stores;
    await a.hit('login:ip:127.0.0.1', 60);
    await a.hit('login:ip:127.0.0.1', 60);
    expect(await a.acquire('tenant:t1', 5)).toBe(1);
    expect((await b.peek('login:ip:127.0.0.1', 60)).count).toBe(0);
    expect((await b.hit('login:ip:127.0.0.1', 60)).count).toBe(1);
    const keysOf = (prefix: string) => inspector.keys(`*${prefix}*`);
    const keysA = await keysOf(`deployment-a-${run}`);
    expect(keysA.length).toBe(2);
    for (const key of keysA) expect(key.startsWith(`deployment-a-${run}:rl:`)).toBe(true);
    expect(await keysOf(`deployment-b-${run}`)).toHaveLength(1);
    await inspector.del(...keysA, ...(await keysOf(`deployment-b-${run}`)));
  });
});
