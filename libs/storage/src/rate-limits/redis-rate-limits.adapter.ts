import Redis from 'ioredis';
import { RateLimiterAbstract, RateLimiterRedis } from 'rate-limiter-flexible';
import { UNBOUNDED_POINTS, WindowedRateLimitStore } from './windowed-rate-limits';

// A slot whose holder died without releasing it frees itself after this long.
const SLOT_TTL_SECONDS = 300;

// Takes as many of the wanted slots (ARGV[3]) as are free under the limit (ARGV[1]).
const ACQUIRE = `
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
local taken = math.min(tonumber(ARGV[3]), tonumber(ARGV[1]) - used)
if taken <= 0 then return 0 end
redis.call('INCRBY', KEYS[1], taken)
redis.call('EXPIRE', KEYS[1], ARGV[2])
return taken`;

// Gives back ARGV[1] slots, never going below none.
const RELEASE = `
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
local back = math.min(used, tonumber(ARGV[1]))
if back > 0 then return redis.call('DECRBY', KEYS[1], back) end
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

  async acquire(key: string, limit: number, amount = 1): Promise<number> {
    const slots = `${this.keyPrefix}:slots:${key}`;
    return Number(await this.redis.eval(ACQUIRE, 1, slots, limit, SLOT_TTL_SECONDS, amount));
  }

  async release(key: string, amount = 1): Promise<void> {
    await this.redis.eval(RELEASE, 1, `${this.keyPrefix}:slots:${key}`, amount);
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
