import { Global, Module } from '@nestjs/common';
import { AppConfig } from '@strata/core';
import { closedAtShutdown } from '../closed-at-shutdown';
import { MemoryRateLimitStore } from './memory-rate-limits.adapter';
import { RateLimitStore } from './rate-limits.port';
import { RedisRateLimitStore } from './redis-rate-limits.adapter';

/** Rate-limit counters: Redis when REDIS_URL is set (shared by replicas), else in memory. */
@Global()
@Module({
  providers: [
    {
      provide: RateLimitStore,
      inject: [AppConfig],
      useFactory: (config: AppConfig): RateLimitStore =>
        config.redisUrl
          ? RedisRateLimitStore.connect(config.redisUrl, config.jobQueuePrefix)
          : new MemoryRateLimitStore(),
    },
    closedAtShutdown(RateLimitStore, 'the rate-limit store'),
  ],
  exports: [RateLimitStore],
})
export class RateLimitsModule {}
