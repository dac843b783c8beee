import { Logger } from '@nestjs/common';
import { Job, JobHandler, jobKey, JobQueue } from './job-queue.port';

/**
 * The queue of the embedded default: jobs wait in this process's memory. Losing them in a crash
 * is fine, because the recovery sweep rebuilds the work from the database at start.
 */
export class InProcessJobQueue extends JobQueue {
  readonly description = 'in-process';
  private readonly logger = new Logger('InProcessJobQueue');
  private readonly waiting: Job[] = [];
  private readonly waitingKeys = new Set<string>();
  private readonly running = new Set<Promise<void>>();
  private handler: JobHandler | null = null;
  private concurrency = 1;
  private closed = false;

  async enqueue(job: Job): Promise<void> {
    if (this.closed) return;
    const key = jobKey(job);
    if (this.waitingKeys.has(key)) return;
    this.waitingKeys.add(key);
    this.waiting.push(job);
    this.pump();
  }

  async consume(handler: JobHandler, concurrency: number): Promise<void> {
    this.handler = handler;
    this.concurrency = concurrency;
    this.pump();
  }

  async depth(): Promise<number> {
    return this.waiting.length;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.waiting.length = 0;
    this.waitingKeys.clear();
    await Promise.allSettled([...this.running]);
  }

  private pump(): void {
    while (this.handler && !this.closed && this.running.size < this.concurrency && this.waiting.length > 0) {
      const job = this.waiting.shift()!;
      this.waitingKeys.delete(jobKey(job));
      const run = this.handler(job)
        .catch((error: unknown) =>
          this.logger.error(`job ${jobKey(job)} failed: ${(error as Error).message}`),
        )
        .finally(() => {
          this.running.delete(run);
          // Let the current tick finish before the next job starts.
          setImmediate(() => this.pump());
        });
      this.running.add(run);
    }
  }
}
