import { RateLimiterMemory } from 'rate-limiter-flexible';
import { RateLimitStore } from './rate-limits.port';

// The limiters only count; the caller compares the count with the tenant's own limit.
const UNBOUNDED = Number.MAX_SAFE_INTEGER;

/** Counters in this process's memory (embedded mode: there is one process). */
export class MemoryRateLimitStore extends RateLimitStore {
  private readonly windows = new Map<number, RateLimiterMemory>();
  private readonly slots = new Map<string, number>();

  async hit(key: string, windowSeconds: number): Promise<{ count: number; resetInMs: number }> {
    const result = await this.window(windowSeconds).consume(key, 1);
    return { count: result.consumedPoints, resetInMs: result.msBeforeNext };
  }

  async peek(key: string, windowSeconds: number): Promise<{ count: number; resetInMs: number }> {
    const result = await this.window(windowSeconds).get(key);
    return { count: result?.consumedPoints ?? 0, resetInMs: result?.msBeforeNext ?? 0 };
  }

  async reset(key: string, windowSeconds: number): Promise<void> {
    await this.window(windowSeconds).delete(key);
  }

  async acquire(key: string, limit: number): Promise<boolean> {
    const used = this.slots.get(key) ?? 0;
    if (used >= limit) return false;
    this.slots.set(key, used + 1);
    return true;
  }

  async release(key: string): Promise<void> {
    const used = (this.slots.get(key) ?? 0) - 1;
    if (used <= 0) this.slots.delete(key);
    else this.slots.set(key, used);
  }

  async ping(): Promise<boolean> {
    return true;
  }

  async close(): Promise<void> {
    this.windows.clear();
    this.slots.clear();
  }

  private window(seconds: number): RateLimiterMemory {
    let limiter = this.windows.get(seconds);
    if (!limiter) {
      limiter = new RateLimiterMemory({ points: UNBOUNDED, duration: seconds });
      this.windows.set(seconds, limiter);
    }
    return limiter;
  }
}
