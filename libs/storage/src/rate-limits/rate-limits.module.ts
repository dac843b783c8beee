import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@strata/core';
import { MemoryRateLimitStore } from './memory-rate-limits.adapter';
import { RateLimitStore } from './rate-limits.port';
import { RedisRateLimitStore } from './redis-rate-limits.adapter';

@Injectable()
class RateLimitStoreLifecycle implements OnApplicationShutdown {
  constructor(@Inject(RateLimitStore) private readonly store: RateLimitStore) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}

/** Rate-limit counters: Redis when REDIS_URL is set (shared by replicas), else in memory. */
@Global()
@Module({
  providers: [
    {
      provide: RateLimitStore,
      inject: [AppConfig],
      useFactory: (config: AppConfig): RateLimitStore =>
        config.redisUrl ? RedisRateLimitStore.connect(config.redisUrl) : new MemoryRateLimitStore(),
    },
    RateLimitStoreLifecycle,
  ],
  exports: [RateLimitStore],
})
export class RateLimitsModule {}
