import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '@strata/audit';
import { AppConfig, graphMergeStep } from '@strata/core';
import { EmbeddingSpaceService } from '@strata/embeddings';
import {
  ExtractionUnavailable,
  type GraphBatchResult,
  GraphBuilder,
  type GraphExtraction,
  type GraphSource,
} from '@strata/graph';
import type { Embedder } from '@strata/providers';
import { JobQueue, type VectorSpace } from '@strata/storage';
import { readKbConfig } from '@strata/knowledge-bases';
import { DocumentGraphClaimsRepository, type GraphClaim, readDocumentChunks } from '@strata/documents';
import { KbScope, TenantContext } from '@strata/tenancy';
import { TenantConfigService } from '@strata/tenants';
import { describeError, recordDocumentEvents } from './system-events';
import { CpuPool, CpuPoolClosed } from '../cpu/cpu-pool';
import { onCpuPool } from '../cpu/pooled-embedder';
import { PooledExtractor } from '../cpu/pooled-extractor';
import { GraphBuildsRepository } from './graph-builds.repository';
import { HeldLease } from './held-lease';
import { IngestionActivity } from './ingestion-activity';
import { queuedDocumentsFlowed } from './queued-documents';
import { TokenWaits } from './token-waits';

/**
 * How long a graph batch's merge waits at most for the documents this process is making searchable
 * (see IngestionActivity): the graph still advances, a batch a second, under a long bulk upload.
 */
const YIELD_TO_INGESTION_MS = 1000;

/**
 * How long a graph build waits at most, before it starts, for the documents queued to become
 * searchable to have started while they flow through this process (see queuedDocumentsFlowed).
 * Graph builds have slots of their own (see JobLane); started beside a bulk upload, a build
 * merged what little had become searchable in small batches, each paying a batch's fixed costs,
 * and took the cores the documents needed (2026-12-02, embedded, two ABBA pairs: searchable
 * 0.73x, graph 0.86x, CPU per chunk 1.18x). The limit keeps a KB's graph advancing under a stream
 * of uploads that never lets the queue empty.
 */
const WAIT_FOR_QUEUED_DOCUMENTS_MS = 60_000;

/** Why a whole batch's graph failed, in words for the documents' owner. */
class BatchFailure extends Error {}

/** A claimed batch and what extraction made of it (null: the KB does not extract), or why it failed. */
interface ExtractedBatch {
  claims: GraphClaim[];
  extraction?: GraphExtraction | null;
  embedding?: { embedder: Embedder; space: VectorSpace };
  failure?: unknown;
}

/**
 * Builds a KB's knowledge graph behind ingestion: while it holds the KB's build lease, it claims
 * the next documents that became searchable (a batch of about `graphBatchChunks` chunks),
 * extracts their entities and relations, merges the batch into the graph at once (each touched
 * entity and relation embedded once per batch) and marks them done, until none wait. One job per
 * KB at a time; a crash leaves the lease to run out and the documents `building`, and the next
 * job (queued by the recovery sweep) claims them again and replaces what the dead one wrote.
 */
@Injectable()
export class GraphBuildJob {
  private readonly logger = new Logger('GraphBuild');
  private readonly builds: GraphBuildsRepository;
  private readonly documents: DocumentGraphClaimsRepository;
  private readonly heartbeatMs: number;
  private readonly embeddedExtractor: PooledExtractor;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly graphs: GraphBuilder,
    private readonly spaces: EmbeddingSpaceService,
    private readonly tenantConfig: TenantConfigService,
    private readonly tokenWaits: TokenWaits,
    private readonly audit: AuditService,
    private readonly cpu: CpuPool,
    private readonly activity: IngestionActivity,
    private readonly queue: JobQueue,
  ) {
    this.embeddedExtractor = new PooledExtractor(cpu);
    this.builds = new GraphBuildsRepository(dataSource, config.ingestion.leaseSeconds);
    this.documents = new DocumentGraphClaimsRepository(dataSource);
    this.heartbeatMs = (config.ingestion.leaseSeconds * 1000) / 3;
  }

  async run(tenantId: string, kbId: string): Promise<void> {
    const scope = TenantContext.forJob({ tenantId, kbId, jobName: 'graph', jobId: kbId }).kbScope();
    await queuedDocumentsFlowed(this.queue, this.activity, WAIT_FOR_QUEUED_DOCUMENTS_MS);
    // Another job may add work just as this one lets the lease go: look again after releasing.
    while (await this.documents.hasWaiting(scope)) {
      if (await this.outOfLlmTokens(scope)) return;
      const lease = await this.builds.claimKb(scope);
      if (lease === null) return; // another job builds this KB's graph and will find the work
      const held = new HeldLease(() => this.builds.extendKb(scope, lease), this.heartbeatMs);
      try {
        await this.buildWhileHeld(scope, () => held.held);
      } finally {
        held.stop();
        await this.builds.releaseKb(scope, lease);
      }
      if (!held.held) return; // the lease was taken over: the job holding it now carries on
    }
  }

  /**
   * Claims and extracts batch after batch, extracting the next (on the CPU pool's threads, or at
   * the LLM) while this one merges (on this thread and in the database).
   */
  private async buildWhileHeld(scope: KbScope, held: () => boolean): Promise<void> {
    const inFlight = new Set<string>();
    const next = () =>
      this.activity.idle(YIELD_TO_INGESTION_MS).then(() => this.claimAndExtract(scope, inFlight));
    let upcoming = next();
    try {
      while (held()) {
        const batch = await graphMergeStep('extraction-wait', () => upcoming);
        if (batch === null) return;
        upcoming = next();
        await this.activity.idle(YIELD_TO_INGESTION_MS);
        await this.mergeAndFinish(scope, batch);
        batch.claims.forEach((c) => inFlight.delete(c.id));
      }
    } finally {
      // A batch claimed but not merged stays `building`; the next holder of the lease claims it.
      await upcoming;
    }
  }

  /**
   * Whether the KB's graph waits for tomorrow: it is extracted by an LLM and the tenant has used its
   * LLM tokens for today (see TokenWaits). Its documents stay searchable, their graph `pending`.
   */
  private outOfLlmTokens(scope: KbScope): Promise<boolean> {
    return this.tokenWaits.waiting(scope, 'llm', async () => {
      const kb = await readKbConfig(this.dataSource, scope);
      return kb !== null && this.graphs.extractsWithLlm(kb, await this.tenantConfig.settings(scope));
    });
  }

  /** The next batch and what extraction made of it; null when no document waits. Never rejects. */
  private async claimAndExtract(scope: KbScope, inFlight: Set<string>): Promise<ExtractedBatch | null> {
    if (await this.outOfLlmTokens(scope).catch(() => false)) return null;
    const claims = await this.documents
      .claimBatch(scope, this.config.ingestion.graphBatchChunks, [...inFlight])
      .catch((error: unknown) => {
        this.logger.warn(`graph of KB ${scope.kbId}: claiming a batch failed: ${describeError(error)}`);
        return [];
      });
    if (claims.length === 0) return null;
    claims.forEach((c) => inFlight.add(c.id));
    try {
      return { claims, ...(await this.extract(scope, claims)) };
    } catch (error) {
      return { claims, failure: error };
    }
  }

  private async extract(scope: KbScope, claims: GraphClaim[]): Promise<Omit<ExtractedBatch, 'claims'>> {
    const kb = await readKbConfig(this.dataSource, scope);
    if (kb === null) throw new BatchFailure('the knowledge base no longer exists');
    if (!kb.extraction.enabled) return { extraction: null };
    const tenant = await this.tenantConfig.settings(scope);
    const chunks = await readDocumentChunks(
      this.dataSource,
      scope,
      claims.map((c) => c.id),
    );
    const sources = new Map<string, GraphSource & { chunks: Array<{ id: string; content: string }> }>(
      claims.map((c) => [c.id, { id: c.id, chunks: [] }]),
    );
    for (const chunk of chunks) sources.get(chunk.documentId)?.chunks.push(chunk);
    const embedder = onCpuPool(
      await this.spaces.embedderFor(scope, kb.embedding.model, tenant).catch((error: Error) => {
        throw new BatchFailure(error.message);
      }),
      this.cpu,
    );
    if (kb.embedding.dimension === null) {
      // Only while the KB is re-embedded: its documents are then ingested again, graph included.
      throw new BatchFailure('the knowledge base is being re-embedded; its graph is built again with it');
    }
    const extraction = await this.graphs
      .extract(scope, [...sources.values()], kb, tenant, this.embeddedExtractor)
      .catch((error: unknown) => {
        if (error instanceof ExtractionUnavailable) throw new BatchFailure(error.message);
        throw error;
      });
    return {
      extraction,
      embedding: { embedder, space: { model: embedder.model, dimension: kb.embedding.dimension } },
    };
  }

  private async mergeAndFinish(scope: KbScope, batch: ExtractedBatch): Promise<void> {
    const { claims } = batch;
    let result: GraphBatchResult | null = null;
    let failure = batch.failure;
    if (failure === undefined && batch.extraction) {
      try {
        result = await this.graphs.merge(
          scope,
          batch.extraction,
          // A re-ingestion or delete since the claim takes a document out of the batch.
          (manager, documentIds) => this.documents.lockHeld(manager, scope, claims, documentIds),
          batch.embedding!,
        );
      } catch (error) {
        failure = error;
      }
    }
    // Shutting down: the batch stays `building`, and the next holder of the KB's lease claims it.
    if (failure instanceof CpuPoolClosed) return;
    if (failure !== undefined) {
      const message = failure instanceof BatchFailure ? failure.message : describeError(failure);
      if (!(failure instanceof BatchFailure)) {
        this.logger.warn(`graph of KB ${scope.kbId} of tenant ${scope.tenantId} failed: ${message}`);
      }
      const errors = new Map(claims.map((c) => [c.id, message]));
      await this.dataSource.transaction((manager) =>
        this.settle(manager, scope, claims, 'failed', errors, () => ({ error: message.slice(0, 500) })),
      );
      return;
    }
    if (result === null) {
      await this.documents.finish(this.dataSource, scope, claims, 'skipped');
      return;
    }
    const { built, failed, extractor } = result;
    await this.dataSource.transaction(async (manager) => {
      const builtClaims = claims.filter((c) => built.has(c.id));
      await this.settle(manager, scope, builtClaims, 'done', new Map(), (id) => ({
        extractor,
        ...built.get(id)!,
      }));
      const failedClaims = claims.filter((c) => failed.has(c.id));
      await this.settle(manager, scope, failedClaims, 'failed', failed, (id) => ({
        extractor,
        error: failed.get(id)!.slice(0, 500),
      }));
    });
  }

  /** Ends the graph stage of `claims` with `status` and records it for each document still held by its claim. */
  private async settle(
    manager: EntityManager,
    scope: KbScope,
    claims: GraphClaim[],
    status: 'done' | 'failed',
    errors: ReadonlyMap<string, string>,
    details: (documentId: string) => Record<string, unknown>,
  ): Promise<void> {
    const settled = await this.documents.finish(manager, scope, claims, status, errors);
    const outcome = status === 'done' ? 'success' : 'error';
    await recordDocumentEvents(
      this.audit,
      manager,
      'document.graph',
      scope,
      settled.map((documentId) => ({ documentId, outcome, details: details(documentId) })),
    );
  }
}
