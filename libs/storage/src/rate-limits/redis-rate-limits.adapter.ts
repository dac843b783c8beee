import Redis from 'ioredis';
import { RateLimiterAbstract, RateLimiterRedis } from 'rate-limiter-flexible';
import { UNBOUNDED_POINTS, WindowedRateLimitStore } from './windowed-rate-limits';

// A slot whose holder died without releasing it frees itself after this long.
const SLOT_TTL_SECONDS = 300;

const ACQUIRE = `
local used = redis.call('INCR', KEYS[1])
if used > tonumber(ARGV[1]) then
  redis.call('DECR', KEYS[1])
  return 0
end
redis.call('EXPIRE', KEYS[1], ARGV[2])
return 1`;

const RELEASE = `
if tonumber(redis.call('GET', KEYS[1]) or '0') > 0 then
  return redis.call('DECR', KEYS[1])
end
return 0`;

/**
 * Counters in Redis, shared by every api replica, under the deployment's prefix (its
 * JOB_QUEUE_PREFIX, as the job queues): deployments sharing one Redis count apart.
 */
export class RedisRateLimitStore extends WindowedRateLimitStore {
  private readonly keyPrefix: string;

  constructor(
    private readonly redis: Redis,
    deploymentPrefix: string,
  ) {
    super();
    this.keyPrefix = `${deploymentPrefix}:rl`;
  }

  static connect(url: string, deploymentPrefix: string): RedisRateLimitStore {
    return new RedisRateLimitStore(
      new Redis(url, { maxRetriesPerRequest: 2, enableOfflineQueue: true }),
      deploymentPrefix,
    );
  }

  async acquire(key: string, limit: number): Promise<boolean> {
    return (
      (await this.redis.eval(ACQUIRE, 1, `${this.keyPrefix}:slots:${key}`, limit, SLOT_TTL_SECONDS)) === 1
    );
  }

  async release(key: string): Promise<void> {
    await this.redis.eval(RELEASE, 1, `${this.keyPrefix}:slots:${key}`);
  }

  async ping(): Promise<boolean> {
    try {
      return (await this.redis.ping()) === 'PONG';
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  protected createWindow(seconds: number): RateLimiterAbstract {
    return new RateLimiterRedis({
      storeClient: this.redis,
      points: UNBOUNDED_POINTS,
      duration: seconds,
      keyPrefix: `${this.keyPrefix}:${seconds}`,
    });
  }
}
