/** The counters behind quotas and rate limits: in memory in one process, or shared in Redis. */
export abstract class RateLimitStore {
  /**
   * Counts one hit on `key` in the current fixed window of `windowSeconds` and returns the count
   * so far in that window and the milliseconds until it resets.
   */
  abstract hit(key: string, windowSeconds: number): Promise<{ count: number; resetInMs: number }>;

  /** Takes one of `limit` slots of `key`; false (taking nothing) when all are in use. */
  abstract acquire(key: string, limit: number): Promise<boolean>;

  /** Gives back a slot taken with acquire. */
  abstract release(key: string): Promise<void>;

  /** Readiness: whether the store answers. */
  abstract ping(): Promise<boolean>;

  abstract close(): Promise<void>;
}
