import { RateLimiterAbstract, RateLimiterMemory } from 'rate-limiter-flexible';
import { UNBOUNDED_POINTS, WindowedRateLimitStore } from './windowed-rate-limits';

/** Counters in this process's memory (embedded mode: there is one process). */
export class MemoryRateLimitStore extends WindowedRateLimitStore {
  private readonly slots = new Map<string, number>();

  protected createWindow(seconds: number): RateLimiterAbstract {
    return new RateLimiterMemory({ points: UNBOUNDED_POINTS, duration: seconds });
  }

  async acquire(key: string, limit: number, amount = 1): Promise<number> {
    const used = this.slots.get(key) ?? 0;
    const taken = Math.max(0, Math.min(amount, limit - used));
    if (taken > 0) this.slots.set(key, used + taken);
    return taken;
  }

  async release(key: string, amount = 1): Promise<void> {
    const used = (this.slots.get(key) ?? 0) - amount;
    if (used <= 0) this.slots.delete(key);
    else this.slots.set(key, used);
  }

  async ping(): Promise<boolean> {
    return true;
  }

  async close(): Promise<void> {
    this.forgetWindows();
    this.slots.clear();
  }
}
