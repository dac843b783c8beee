import { BullModule, getQueueToken } from '@nestjs/bull';
import { DynamicModule, Global, Module } from '@nestjs/common';
import type { Queue } from 'bull';
import type { AppConfig } from '@strata/core';
import { closedAtShutdown } from '../closed-at-shutdown';
import { BullJobQueue, JOB_QUEUE_NAMES } from './bull-queue.adapter';
import { InProcessJobQueue } from './in-process-queue.adapter';
import { JobQueue } from './job-queue.port';

/**
 * Closed, waiting for its running jobs, before any store closes: closed under a running job, the
 * database failed its statements or, on the embedded one, left it waiting for good.
 */
const JobQueueDrain = closedAtShutdown(JobQueue, 'the running jobs', { first: true });

/**
 * Bull holds a running job under a lock its process renews; a job whose process died returns to
 * the queue once a stalled-job check finds the lock expired, and only then can the database sweep
 * queue it again (a job id is queued once). Both follow INGESTION_LEASE_SECONDS, the lease the
 * database claim runs on, up to Bull's 30 s default: a shorter lease means a faster recovery.
 */
export function jobLockSettings(config: Pick<AppConfig, 'ingestion'>): {
  lockDuration: number;
  stalledInterval: number;
} {
  const ms = Math.min(30, config.ingestion.leaseSeconds) * 1000;
  return { lockDuration: ms, stalledInterval: ms };
}

/** Provides the JobQueue port: Bull on Redis when REDIS_URL is set, in-process otherwise. */
@Global()
@Module({})
export class JobQueueModule {
  static forRoot(config: AppConfig): DynamicModule {
    if (config.redisUrl === null) {
      return {
        module: JobQueueModule,
        providers: [{ provide: JobQueue, useValue: new InProcessJobQueue() }, JobQueueDrain],
        exports: [JobQueue],
      };
    }
    return {
      module: JobQueueModule,
      imports: [
        BullModule.forRoot({ url: config.redisUrl, prefix: config.jobQueuePrefix }),
        BullModule.registerQueue(
          { name: JOB_QUEUE_NAMES.documents, settings: jobLockSettings(config) },
          { name: JOB_QUEUE_NAMES.graphs, settings: jobLockSettings(config) },
        ),
      ],
      providers: [
        {
          provide: JobQueue,
          inject: [getQueueToken(JOB_QUEUE_NAMES.documents), getQueueToken(JOB_QUEUE_NAMES.graphs)],
          useFactory: (documents: Queue, graphs: Queue) => new BullJobQueue({ documents, graphs }),
        },
        JobQueueDrain,
      ],
      exports: [JobQueue],
    };
  }
}
