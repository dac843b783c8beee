import { MemoryRateLimitStore } from './memory-rate-limits.adapter';
import { rateLimitStoreContract } from './rate-limits.contract';

rateLimitStoreContract('memory', async () => new MemoryRateLimitStore());
