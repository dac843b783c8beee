import { Logger } from '@nestjs/common';
import { Job, JobHandler, jobKey, JobQueue } from './job-queue.port';

/**
 * The queue of the embedded default: jobs wait in this process's memory. Losing them in a crash
 * is fine, because the recovery sweep rebuilds the work from the database at start. Each tenant
 * has its own line and the next job comes from the next tenant in turn, so one tenant's bulk
 * upload does not hold back another tenant's document.
 */
export class InProcessJobQueue extends JobQueue {
  readonly description = 'in-process';
  private readonly logger = new Logger('InProcessJobQueue');
  /** Waiting jobs per tenant, in the order tenants take turns (a tenant with none leaves). */
  private readonly waiting = new Map<string, Job[]>();
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
    const line = this.waiting.get(job.tenantId);
    if (line) line.push(job);
    else this.waiting.set(job.tenantId, [job]);
    this.pump();
  }

  async consume(handler: JobHandler, concurrency: number): Promise<void> {
    this.handler = handler;
    this.concurrency = concurrency;
    this.pump();
  }

  async depth(): Promise<number> {
    return this.waitingKeys.size;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.waiting.clear();
    this.waitingKeys.clear();
    await Promise.allSettled([...this.running]);
  }

  /** The first job of the tenant whose turn it is; that tenant then goes to the back. */
  private nextInTurn(): Job {
    const [tenantId, line] = this.waiting.entries().next().value as [string, Job[]];
    const job = line.shift()!;
    this.waiting.delete(tenantId);
    if (line.length > 0) this.waiting.set(tenantId, line);
    return job;
  }

  private pump(): void {
    while (this.handler && !this.closed && this.running.size < this.concurrency && this.waiting.size > 0) {
      const job = this.nextInTurn();
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
