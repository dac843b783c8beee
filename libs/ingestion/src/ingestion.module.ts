import { DynamicModule, Module } from '@nestjs/common';
import { DocumentTablesModule } from '@strata/documents';
import { GraphModule } from '@strata/graph';
import { TenantSettingsModule } from '@strata/tenants';
import { DeleteDocumentsJob } from './pipeline/delete-documents.job';
import { EmbeddingSpaceModule } from '@strata/embeddings';
import { CPU_WORKER_FILE, CpuPool, defaultCpuWorkerFile } from './cpu/cpu-pool';
import { GraphBuildJob } from './pipeline/graph-build.job';
import { TokenWaits } from './pipeline/token-waits';
import { IngestDocumentJob } from './pipeline/ingest-document.job';
import { IngestionActivity } from './pipeline/ingestion-activity';
import { CONSUME_JOBS, JobRunner } from './pipeline/job-runner';
import { PurgeJob } from './pipeline/purge.job';
import { StorageCheck } from './consistency/storage-check.service';

/**
 * The background pipeline: ingestion, document deletion and purges. `consume` decides whether
 * this process takes jobs from the queue (the worker always does; the API by default).
 */
@Module({})
export class IngestionModule {
  static forRoot(options: { consume: boolean }): DynamicModule {
    return {
      module: IngestionModule,
      imports: [DocumentTablesModule, EmbeddingSpaceModule, GraphModule, TenantSettingsModule],
      providers: [
        { provide: CONSUME_JOBS, useValue: options.consume },
        { provide: CPU_WORKER_FILE, useFactory: defaultCpuWorkerFile },
        CpuPool,
        IngestionActivity,
        TokenWaits,
        IngestDocumentJob,
        GraphBuildJob,
        DeleteDocumentsJob,
        PurgeJob,
        JobRunner,
        StorageCheck,
      ],
      exports: [JobRunner, CpuPool, StorageCheck],
    };
  }
}
