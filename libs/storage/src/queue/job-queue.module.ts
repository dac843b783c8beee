import { BullModule, getQueueToken } from '@nestjs/bull';
import { DynamicModule, Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import type { Queue } from 'bull';
import type { AppConfig } from '@strata/core';
import { BullJobQueue, JOB_QUEUE_NAME } from './bull-queue.adapter';
import { InProcessJobQueue } from './in-process-queue.adapter';
import { JobQueue } from './job-queue.port';

@Injectable()
class JobQueueLifecycle implements OnApplicationShutdown {
  constructor(@Inject(JobQueue) private readonly queue: JobQueue) {}

  async onApplicationShutdown(): Promise<void> {
    await this.queue.close();
  }
}

/** Provides the JobQueue port: Bull on Redis when REDIS_URL is set, in-process otherwise. */
@Global()
@Module({})
export class JobQueueModule {
  static forRoot(config: AppConfig): DynamicModule {
    if (config.redisUrl === null) {
      return {
        module: JobQueueModule,
        providers: [{ provide: JobQueue, useValue: new InProcessJobQueue() }, JobQueueLifecycle],
        exports: [JobQueue],
      };
    }
    return {
      module: JobQueueModule,
      imports: [
        BullModule.forRoot({ url: config.redisUrl, prefix: config.jobQueuePrefix }),
        BullModule.registerQueue({ name: JOB_QUEUE_NAME }),
      ],
      providers: [
        {
          provide: JobQueue,
          inject: [getQueueToken(JOB_QUEUE_NAME)],
          useFactory: (queue: Queue) => new BullJobQueue(queue),
        },
        JobQueueLifecycle,
      ],
      exports: [JobQueue],
    };
  }
}
