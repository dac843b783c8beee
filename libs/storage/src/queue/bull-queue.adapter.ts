import { Logger } from '@nestjs/common';
import type { Queue } from 'bull';
import { Job, JobHandler, jobKey, JobLane, JobQueue, LaneConcurrency, laneOf } from './job-queue.port';

/**
 * A Bull queue per lane. Graph builds queued in `strata-jobs` by an earlier version still run
 * there: a job's handler does not depend on its lane.
 */
export const JOB_QUEUE_NAMES: Record<JobLane, string> = {
  documents: 'strata-jobs',
  graphs: 'strata-graph-jobs',
};
/** How long a tenant's count of recent jobs lasts once it stops adding them. */
const TURN_WINDOW_SECONDS = 300;
/** Bull's lowest priority. */
const LOWEST_PRIORITY = 2 ** 21;

/**
 * Jobs in Redis through Bull (registered by @nestjs/bull), shared by every api and worker
 * process, in a queue per lane (see JobLane). The job id is the job's key, so a job already
 * waiting is not added twice; finished jobs are removed, so the same work can be signalled again
 * later. Tenants take turns by priority: a job's priority is how many jobs its tenant added in
 * the last minutes (counted in Redis, forgotten TURN_WINDOW_SECONDS after the tenant's last one),
 * so the first document of a tenant that is not busy goes before the 2,000th of one that is.
 */
export class BullJobQueue extends JobQueue {
  readonly description = 'bull (redis)';
  private readonly logger = new Logger('BullJobQueue');
  private closing = false;

  constructor(private readonly queues: Record<JobLane, Queue<Job>>) {
    super();
  }

  async enqueue(job: Job): Promise<void> {
    await this.queues[laneOf(job)].add(job, {
      jobId: jobKey(job),
      priority: await this.turnOf(job),
      removeOnComplete: true,
      removeOnFail: true,
      attempts: 1,
    });
  }

  async consume(handler: JobHandler, concurrency: LaneConcurrency): Promise<void> {
    for (const lane of Object.keys(this.queues) as JobLane[])
      this.consumeLane(lane, handler, concurrency[lane]);
  }

  private consumeLane(lane: JobLane, handler: JobHandler, concurrency: number): void {
    // The promise settles only when processing stops; closing the queue rejects it with
    // "Connection is closed", which must not surface as an unhandled rejection.
    this.queues[lane]
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
  private async turnOf(job: Job): Promise<number> {
    const queue = this.queues[laneOf(job)];
    const key = queue.toKey(`turns:${job.tenantId}`);
    const [[, count]] = (await queue.client.multi().incr(key).expire(key, TURN_WINDOW_SECONDS).exec()) as [
      [Error | null, number],
      unknown,
    ];
    return Math.min(Number(count), LOWEST_PRIORITY);
  }

  async depth(lane?: JobLane): Promise<number> {
    const queues = lane === undefined ? Object.values(this.queues) : [this.queues[lane]];
    const counts = await Promise.all(queues.map((queue) => queue.getWaitingCount()));
    return counts.reduce((sum, count) => sum + count, 0);
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(Object.values(this.queues).map((queue) => queue.close()));
  }
}
