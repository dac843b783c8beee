/** The counters behind quotas and rate limits: in memory in one process, or shared in Redis. */
export abstract class RateLimitStore {
  /**
   * Counts one hit on `key` in the current fixed window of `windowSeconds` and returns the count
   * so far in that window and the milliseconds until it resets.
   */
  abstract hit(key: string, windowSeconds: number): Promise<{ count: number; resetInMs: number }>;

  /** The count so far in the current window of `key`, without adding to it (0 when none). */
  abstract peek(key: string, windowSeconds: number): Promise<{ count: number; resetInMs: number }>;

  /** Forgets `key`'s count in windows of `windowSeconds`. */
  abstract reset(key: string, windowSeconds: number): Promise<void>;

  /** Takes one of `limit` slots of `key`; false (taking nothing) when all are in use. */
  abstract acquire(key: string, limit: number): Promise<boolean>;

  /** Gives back a slot taken with acquire. */
  abstract release(key: string): Promise<void>;

  /** Readiness: whether the store answers. */
  abstract ping(): Promise<boolean>;

  abstract close(): Promise<void>;
}
