import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig, jobDuration, shutdownStep } from '@strata/core';
import { Job, JobQueue, laneOf, runAsBackgroundWork, unfinishedPurges } from '@strata/storage';
import { DocumentGraphClaimsRepository, unfinishedDocumentJobs } from '@strata/documents';
import { DeleteDocumentsJob } from './delete-documents.job';
import { DocumentJobLanes } from './document-job-lanes';
import { GraphBuildJob } from './graph-build.job';
import { GraphBuildsRepository } from './graph-builds.repository';
import { IngestDocumentJob } from './ingest-document.job';
import { PurgeJob } from './purge.job';

export const CONSUME_JOBS = Symbol('CONSUME_JOBS');
const SWEEP_BATCH = 1000;

/**
 * Consumes the job queue in processes that run jobs (the worker; the API unless told not to) and
 * rebuilds the queue from the database: at start and then every half lease, documents left
 * `pending`, `processing` past their lease or `deleting`, KBs with documents waiting for their
 * graph and no live graph job, and unfinished purges, are queued again.
 */
@Injectable()
export class JobRunner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('JobRunner');
  private sweepTimer: NodeJS.Timeout | null = null;
  private sweeping: Promise<number> | null = null;
  private sweepAgain: Promise<number> | null = null;
  private stopped = false;
  private readonly graphBuilds: GraphBuildsRepository;
  private readonly graphClaims: DocumentGraphClaimsRepository;
  private readonly documentLanes = new DocumentJobLanes();

  constructor(
    @Inject(CONSUME_JOBS) private readonly consume: boolean,
    private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly queue: JobQueue,
    private readonly ingest: IngestDocumentJob,
    private readonly graph: GraphBuildJob,
    private readonly deleteDocuments: DeleteDocumentsJob,
    private readonly purge: PurgeJob,
  ) {
    this.graphBuilds = new GraphBuildsRepository(dataSource, config.ingestion.leaseSeconds);
    this.graphClaims = new DocumentGraphClaimsRepository(dataSource);
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.consume) return;
    const { concurrency, graphConcurrency } = this.config.ingestion;
    await this.queue.consume((job) => this.dispatch(job), {
      documents: concurrency,
      graphs: graphConcurrency,
    });
    const queued = await this.sweep();
    if (queued > 0) this.logger.log(`queued ${queued} unfinished jobs found in the database`);
    const intervalMs = Math.min(30_000, (this.config.ingestion.leaseSeconds * 1000) / 2);
    this.sweepTimer = setInterval(
      () => void this.sweep().catch((e: Error) => this.logger.warn(`sweep failed: ${e.message}`)),
      intervalMs,
    );
    this.sweepTimer.unref();
  }

  /** Before the stores close (see JobQueueDrain): the sweep reads the database. */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.stopped = true;
    const sweeping = this.sweepAgain ?? this.sweeping;
    if (sweeping) {
      await shutdownStep('the recovery sweep', this.config.shutdownTimeoutMs, () => sweeping);
    }
  }

  async dispatch(job: Job): Promise<void> {
    const stop = jobDuration.startTimer({ type: job.type });
    const documents = laneOf(job) === 'documents';
    // Graph building waits behind ingestion for the database too, as it does for the CPU pool:
    // documents become searchable first; and a tenant's first document beside another tenant's
    // bulk upload goes ahead of it.
    const lane = documents ? this.documentLanes.start(job.tenantId) : 'graph';
    try {
      await runAsBackgroundWork(() => this.run(job), lane);
      stop({ outcome: 'done' });
    } catch (error) {
      stop({ outcome: 'failed' });
      throw error;
    } finally {
      if (documents) this.documentLanes.end(job.tenantId);
    }
  }

  private run(job: Job): Promise<void> {
    switch (job.type) {
      case 'ingest':
        return this.ingest.run(job.tenantId, job.kbId!, job.targetId);
      case 'graph':
        return this.graph.run(job.tenantId, job.targetId);
      case 'delete-documents':
        return this.deleteDocuments.run(job.tenantId, job.targetId);
      case 'purge':
        return this.purge.run(job.targetId);
    }
  }

  /**
   * Queues the work the database says is unfinished; returns how many jobs it queued. A call while
   * a sweep runs gets a sweep that starts after it (that one read the database before the caller's
   * changes); callers that arrive meanwhile share it.
   */
  sweep(): Promise<number> {
    if (this.sweeping === null) {
      this.sweeping = runAsBackgroundWork(() => this.findUnfinished()).finally(() => {
        this.sweeping = null;
      });
      return this.sweeping;
    }
    this.sweepAgain ??= this.sweeping
      .catch(() => undefined)
      .then(() => {
        this.sweepAgain = null;
        return this.stopped ? 0 : this.sweep();
      });
    return this.sweepAgain;
  }

  private async findUnfinished(): Promise<number> {
    // Across tenants by design: this is the system's own bookkeeping, each job is scoped again.
    const documents = await unfinishedDocumentJobs(this.dataSource, SWEEP_BATCH);
    const purges = await unfinishedPurges(this.dataSource, SWEEP_BATCH);
    for (const job of documents) await this.queue.enqueue(job);
    const waiting = await this.graphClaims.kbsWithWaitingWork(SWEEP_BATCH, await this.graphBuilds.heldKbs());
    const graphs = await this.graphBuilds.lastAttempts(waiting);
    for (const kb of graphs) {
      await this.queue.enqueue({
        type: 'graph',
        tenantId: kb.tenantId,
        kbId: kb.kbId,
        targetId: kb.kbId,
        takeover: kb.attempt,
      });
    }
    for (const purge of purges) {
      await this.queue.enqueue({
        type: 'purge',
        tenantId: purge.tenantId,
        kbId: purge.kbId,
        targetId: purge.id,
      });
    }
    return documents.length + graphs.length + purges.length;
  }
}
