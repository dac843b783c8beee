import { Injectable } from '@nestjs/common';

/**
 * The documents this process is making searchable right now, so that building the graph behind
 * them can give way: a graph merge's SQL and JavaScript run at the same priority as ingestion's
 * writes, above the CPU pool's threads that parse, chunk and embed, and took the cores a document
 * needed to become searchable.
 */
@Injectable()
export class IngestionActivity {
  private running = 0;
  private lastSettledAt = Number.NEGATIVE_INFINITY;
  private readonly waiting = new Set<() => void>();

  /** Runs one document's ingestion, counted as in progress until it settles. */
  async during<T>(work: () => Promise<T>): Promise<T> {
    this.running++;
    try {
      return await work();
    } finally {
      this.running--;
      this.lastSettledAt = Date.now();
      if (this.running === 0) for (const wake of [...this.waiting]) wake();
    }
  }

  /** Whether a document's ingestion settled here within the last `ms`. */
  settledWithin(ms: number): boolean {
    return Date.now() - this.lastSettledAt <= ms;
  }

  /** Resolves once no ingestion is in progress, or after `limitMs` at the latest. */
  idle(limitMs: number): Promise<void> {
    if (this.running === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.waiting.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, limitMs);
      this.waiting.add(wake);
    });
  }
}
