import { rateLimitStoreContract } from './rate-limits.contract';
import { RedisRateLimitStore } from './redis-rate-limits.adapter';

// Redis runs on every developer machine and in CI (see .ci/run); REDIS_URL points elsewhere.
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

rateLimitStoreContract(`redis (${REDIS_URL})`, async () => RedisRateLimitStore.connect(REDIS_URL));
