import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { RateLimitStore } from './rate-limits.port';

// The limiters only count; callers compare the count with the limit that applies to them.
export const UNBOUNDED_POINTS = Number.MAX_SAFE_INTEGER;

/** Fixed-window counting over rate-limiter-flexible, one limiter per window length. */
export abstract class WindowedRateLimitStore extends RateLimitStore {
  private readonly windows = new Map<number, RateLimiterAbstract>();

  protected abstract createWindow(seconds: number): RateLimiterAbstract;

  async hit(key: string, windowSeconds: number, amount = 1): Promise<{ count: number; resetInMs: number }> {
    const result = await this.window(windowSeconds).consume(key, amount);
    return { count: result.consumedPoints, resetInMs: result.msBeforeNext };
  }

  async unhit(key: string, windowSeconds: number, amount: number): Promise<void> {
    if (amount > 0) await this.window(windowSeconds).reward(key, amount);
  }

  async peek(key: string, windowSeconds: number): Promise<{ count: number; resetInMs: number }> {
    const result = await this.window(windowSeconds).get(key);
    return { count: result?.consumedPoints ?? 0, resetInMs: result?.msBeforeNext ?? 0 };
  }

  async reset(key: string, windowSeconds: number): Promise<void> {
    await this.window(windowSeconds).delete(key);
  }

  protected forgetWindows(): void {
    this.windows.clear();
  }

  private window(seconds: number): RateLimiterAbstract {
    let limiter = this.windows.get(seconds);
    if (!limiter) {
      limiter = this.createWindow(seconds);
      this.windows.set(seconds, limiter);
    }
    return limiter;
  }
}
