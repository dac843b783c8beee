import { Logger } from '@nestjs/common';
import type { Queue } from 'bull';
import { Job, JobHandler, jobKey, JobQueue } from './job-queue.port';

export const JOB_QUEUE_NAME = 'strata-jobs';
/** How long a tenant's count of recent jobs lasts once it stops adding them. */
const TURN_WINDOW_SECONDS = 300;
/** Bull's lowest priority. */
const LOWEST_PRIORITY = 2 ** 21;

/**
 * Jobs in Redis through Bull (registered by @nestjs/bull), shared by every api and worker
 * process. The job id is the job's key, so a job already waiting is not added twice; finished
 * jobs are removed, so the same work can be signalled again later. Tenants take turns by
 * priority: a job's priority is how many jobs its tenant added in the last minutes (counted in
 * Redis, forgotten TURN_WINDOW_SECONDS after the tenant's last one), so the first document of a
 * tenant that is not busy goes before the 2,000th of one that is.
 */
export class BullJobQueue extends JobQueue {
  readonly description = 'bull (redis)';
  private readonly logger = new Logger('BullJobQueue');
  private closing = false;

  constructor(private readonly queue: Queue<Job>) {
    super();
  }

  async enqueue(job: Job): Promise<void> {
    await this.queue.add(job, {
      jobId: jobKey(job),
      priority: await this.turnOf(job.tenantId),
      removeOnComplete: true,
      removeOnFail: true,
      attempts: 1,
    });
  }

  async consume(handler: JobHandler, concurrency: number): Promise<void> {
    // The promise settles only when processing stops; closing the queue rejects it with
    // "Connection is closed", which must not surface as an unhandled rejection.
    this.queue
      .process(concurrency, async (job) => {
        try {
          await handler(job.data);
        } catch (error) {
          this.logger.error(`job ${job.id} failed: ${(error as Error).message}`);
          throw error;
        }
      })
      .catch((error: unknown) => {
        if (!this.closing) this.logger.error(`job processing stopped: ${(error as Error).message}`);
      });
  }

  /** 1 for a tenant's first job in the window, n for its n-th. */
  private async turnOf(tenantId: string): Promise<number> {
    const key = this.queue.toKey(`turns:${tenantId}`);
    const [[, count]] = (await this.queue.client
      .multi()
      .incr(key)
      .expire(key, TURN_WINDOW_SECONDS)
      .exec()) as [[Error | null, number], unknown];
    return Math.min(Number(count), LOWEST_PRIORITY);
  }

  async depth(): Promise<number> {
    return this.queue.getWaitingCount();
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.queue.close();
  }
}
