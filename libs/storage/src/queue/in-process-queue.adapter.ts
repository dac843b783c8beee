import { Logger } from '@nestjs/common';
import { Job, JobHandler, jobKey, JobQueue } from './job-queue.port';

/**
 * Jobs that may run beyond `concurrency`, each a document's ingestion or delete (not a graph
 * build) of a tenant running no such job. A started job does not give way: without it, a tenant's
 * single document waited for a slot held by another tenant's bulk upload or by its own KB's graph
 * build (a graph job runs while its KB has documents waiting, giving way to ingestion meanwhile).
 */
const NEWCOMER_SLOTS = 1;

const isGraphBuild = (job: Job) => job.type === 'graph';

/**
 * The queue of the embedded default: jobs wait in this process's memory. Losing them in a crash
 * is fine, because the recovery sweep rebuilds the work from the database at start. Each tenant
 * has its own line and the next job comes from the next tenant in turn, so one tenant's bulk
 * upload does not hold back another tenant's document; and a tenant with no document in work
 * does not wait for a slot either (see NEWCOMER_SLOTS).
 */
export class InProcessJobQueue extends JobQueue {
  readonly description = 'in-process';
  private readonly logger = new Logger('InProcessJobQueue');
  /** Waiting jobs per tenant, in the order tenants take turns (a tenant with none leaves). */
  private readonly waiting = new Map<string, Job[]>();
  private readonly waitingKeys = new Set<string>();
  private readonly running = new Set<Promise<void>>();
  /** Running jobs other than graph builds, per tenant. */
  private readonly documentJobs = new Map<string, number>();
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

  /**
   * The job to start now, if any: within `concurrency`, the first of the tenant whose turn it is;
   * past it, within the newcomer slots, the first document job of a tenant running none.
   */
  private next(): Job | null {
    if (this.running.size < this.concurrency) return this.take(this.waiting.keys().next().value as string, 0);
    if (this.running.size >= this.concurrency + NEWCOMER_SLOTS) return null;
    for (const [tenantId, line] of this.waiting) {
      if (this.documentJobs.has(tenantId)) continue;
      const at = line.findIndex((job) => !isGraphBuild(job));
      if (at >= 0) return this.take(tenantId, at);
    }
    return null;
  }

  /** The tenant's job at `at` in its line; the tenant then goes to the back of the turns. */
  private take(tenantId: string, at: number): Job {
    const line = this.waiting.get(tenantId)!;
    const [job] = line.splice(at, 1);
    this.waiting.delete(tenantId);
    if (line.length > 0) this.waiting.set(tenantId, line);
    return job;
  }

  private pump(): void {
    while (this.handler && !this.closed && this.waiting.size > 0) {
      const job = this.next();
      if (job === null) return;
      this.start(job);
    }
  }

  private start(job: Job): void {
    this.waitingKeys.delete(jobKey(job));
    this.countDocumentJob(job, +1);
    const run = this.handler!(job)
      .catch((error: unknown) => this.logger.error(`job ${jobKey(job)} failed: ${(error as Error).message}`))
      .finally(() => {
        this.running.delete(run);
        this.countDocumentJob(job, -1);
        // Let the current tick finish before the next job starts.
        setImmediate(() => this.pump());
      });
    this.running.add(run);
  }

  private countDocumentJob(job: Job, change: 1 | -1): void {
    if (isGraphBuild(job)) return;
    const running = (this.documentJobs.get(job.tenantId) ?? 0) + change;
    if (running > 0) this.documentJobs.set(job.tenantId, running);
    else this.documentJobs.delete(job.tenantId);
  }
}
