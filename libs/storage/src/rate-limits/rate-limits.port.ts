/** The counters behind quotas and rate limits: in memory in one process, or shared in Redis. */
export abstract class RateLimitStore {
  /**
   * Counts `amount` hits (one by default) on `key` in the current fixed window of `windowSeconds`
   * and returns the count so far in that window and the milliseconds until it resets.
   */
  abstract hit(
    key: string,
    windowSeconds: number,
    amount?: number,
  ): Promise<{ count: number; resetInMs: number }>;

  /** Takes back `amount` hits counted on `key` in the current window (counted ahead, then not used). */
  abstract unhit(key: string, windowSeconds: number, amount: number): Promise<void>;

  /** The count so far in the current window of `key`, without adding to it (0 when none). */
  abstract peek(key: string, windowSeconds: number): Promise<{ count: number; resetInMs: number }>;

  /** Forgets `key`'s count in windows of `windowSeconds`. */
  abstract reset(key: string, windowSeconds: number): Promise<void>;

  /**
   * Takes up to `amount` (one by default) of `limit` slots of `key`, as many as are free; answers
   * how many it took (0 when all are in use).
   */
  abstract acquire(key: string, limit: number, amount?: number): Promise<number>;

  /** Gives back `amount` (one by default) slots taken with acquire. */
  abstract release(key: string, amount?: number): Promise<void>;

  /** Readiness: whether the store answers. */
  abstract ping(): Promise<boolean>;

  abstract close(): Promise<void>;
}
