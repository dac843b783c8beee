import { TEST_REDIS_URL } from '../../../../test/support/redis-availability';
import { rateLimitStoreContract } from './rate-limits.contract';
import { RedisRateLimitStore } from './redis-rate-limits.adapter';

// Redis runs on developer machines and in CI; without it (outside CI) this suite skips with the reason.
rateLimitStoreContract(`redis (${TEST_REDIS_URL})`, async () => RedisRateLimitStore.connect(TEST_REDIS_URL), {
  skipReason: process.env.STRATA_REDIS_UNAVAILABLE,
});
