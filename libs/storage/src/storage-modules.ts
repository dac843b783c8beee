import type { DynamicModule } from '@nestjs/common';
import type { AppConfig } from '@strata/core';
import { BlobsModule } from './blobs/blobs.module';
import { GraphStoreModule } from './graph/graph.module';
import { JobQueueModule } from './queue/job-queue.module';
import { DatabaseModule } from './relational/database.module';
import { VectorsModule } from './vectors/vectors.module';

/** Every store a process that touches tenant data opens: the api, the worker and the CLI. */
export function storageModules(config: AppConfig): NonNullable<DynamicModule['imports']> {
  return [DatabaseModule, VectorsModule, GraphStoreModule, BlobsModule, JobQueueModule.forRoot(config)];
}
