import { Logger } from '@nestjs/common';
import type { Queue } from 'bull';
import { Job, JobHandler, jobKey, JobQueue } from './job-queue.port';

export const JOB_QUEUE_NAME = 'strata-jobs';

/**
 * Jobs in Redis through Bull (registered by @nestjs/bull), shared by every api and worker
 * process. The job id is the job's key, so a job already waiting is not added twice; finished
 * jobs are removed, so the same work can be signalled again later.
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

  async depth(): Promise<number> {
    return this.queue.getWaitingCount();
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.queue.close();
  }
}
