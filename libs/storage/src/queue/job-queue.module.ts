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
        BullModule.registerQueue({ name: JOB_QUEUE_NAMES.documents }, { name: JOB_QUEUE_NAMES.graphs }),
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
