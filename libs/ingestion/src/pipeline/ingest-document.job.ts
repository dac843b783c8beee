import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '@strata/audit';
import { AppConfig, ingestedChunks, ingestStep, nameBasedIds } from '@strata/core';
import {
  type Claim,
  type ClaimedDocument,
  detectFormat,
  DocumentClaimsRepository,
  replaceChunkRows,
} from '@strata/documents';
import {
  BlobStore,
  JobQueue,
  packTermsWhenDue,
  VectorRecord,
  VectorSpace,
  VectorStore,
} from '@strata/storage';
import { KbScope, TenantContext } from '@strata/tenancy';
import { KnowledgeBaseConfig, readKbConfig } from '@strata/knowledge-bases';
import { TenantConfigService } from '@strata/tenants';
import { describeError, recordDocumentEvent } from './system-events';
import { CpuPool, CpuPoolClosed, CpuTaskFailed } from '../cpu/cpu-pool';
import { IngestionActivity } from './ingestion-activity';
import { LEXICAL_MODEL } from '@strata/providers';
import { TokenWaits } from './token-waits';
import { onCpuPool } from '../cpu/pooled-embedder';
import type { ZipBounds } from '../parsing/limits/zip-bounds';
import { DEFAULT_PARSE_LIMITS } from '../parsing/parse-document';
import { embedInSlices } from './embed-in-slices';
import { HeldLease, LeaseLost } from './held-lease';
import { EmbeddingSpaceService } from '@strata/embeddings';

/** Chunk ids in a fixed namespace: a chunk's id follows from its document and position. */
const chunkId = nameBasedIds('5b0c7f5e-6a51-4d8e-9f0c-3b7e2a1d9c44');

/** Progress is written at most this often (the lease has its own heartbeat). */
const PROGRESS_INTERVAL_MS = 1000;

/** Why a document failed, in words for its owner. */
class DocumentFailure extends Error {}

/**
 * Makes one pending document searchable: claim → read the original → parse → normalise → dedupe
 * → chunk → embed → replace the previous chunks, full-text rows and chunk vectors → processed,
 * with its graph stage `pending` and the KB's graph job queued (GraphBuildJob builds the graph
 * behind). Any step may crash: the claim's lease expires and the next run starts over from the
 * original, replacing whatever the crashed one left (chunk ids are deterministic, vectors are
 * replaced).
 */
@Injectable()
export class IngestDocumentJob {
  private readonly logger = new Logger('Ingestion');
  private readonly claims: DocumentClaimsRepository;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    config: AppConfig,
    private readonly blobs: BlobStore,
    private readonly vectors: VectorStore,
    private readonly spaces: EmbeddingSpaceService,
    private readonly audit: AuditService,
    private readonly tenantConfig: TenantConfigService,
    private readonly queue: JobQueue,
    private readonly cpu: CpuPool,
    private readonly activity: IngestionActivity,
    private readonly tokenWaits: TokenWaits,
  ) {
    this.claims = new DocumentClaimsRepository(dataSource, config.ingestion.leaseSeconds);
    this.heartbeatMs = (config.ingestion.leaseSeconds * 1000) / 3;
    this.parseTimeoutMs = config.ingestion.parseTimeoutSeconds * 1000;
    this.zipBounds = {
      maxEntries: DEFAULT_PARSE_LIMITS.zip.maxEntries,
      maxExpandedBytes: config.ingestion.parseMaxExpandedMb * 1024 * 1024,
    };
  }

  private readonly heartbeatMs: number;
  private readonly parseTimeoutMs: number;
  private readonly zipBounds: ZipBounds;

  run(tenantId: string, kbId: string, documentId: string): Promise<void> {
    return this.activity.during(() => this.ingest(tenantId, kbId, documentId));
  }

  private async ingest(tenantId: string, kbId: string, documentId: string): Promise<void> {
    const scope = TenantContext.forJob({ tenantId, kbId, jobName: 'ingestion', jobId: documentId }).kbScope();
    // Out of embedding tokens for today: the document stays pending, and the sweep brings it back.
    if (await this.outOfEmbeddingTokens(scope)) return;
    const claim = await ingestStep('claim', () => this.claims.claim(scope, documentId));
    if (claim === null) return;
    const held = new HeldLease((progress) => this.claims.heartbeat(scope, claim, progress), this.heartbeatMs);
    const started = Date.now();
    try {
      const result = await this.process(scope, claim, held);
      const finished = await ingestStep('finish', () =>
        this.finish(scope, claim, result, Date.now() - started),
      );
      if (finished) {
        ingestedChunks.inc(result.chunkCount);
        await ingestStep('pack', () => packTermsWhenDue(this.dataSource, scope));
        if (result.graph === 'pending')
          await this.queue.enqueue({ type: 'graph', tenantId, kbId, targetId: kbId });
      } else await this.cleanUpIfGone(scope, documentId);
    } catch (error) {
      // Shutting down: the claim stays, and the next process resumes the document from its original.
      if (error instanceof CpuPoolClosed) return;
      // Cancelled, deleted or taken over meanwhile: whoever holds the document now decides.
      if (error instanceof LeaseLost) return;
      // A parse error arrives as a DocumentFailure: the CPU pool answers it as prepareDocument's reason.
      const message = error instanceof DocumentFailure ? error.message : describeError(error);
      if (!(error instanceof DocumentFailure)) {
        this.logger.warn(`document ${documentId} of tenant ${tenantId} failed: ${message}`);
      }
      await this.fail(scope, claim, message);
    } finally {
      held.stop();
    }
  }

  private async process(scope: KbScope, claim: ClaimedDocument, held: HeldLease) {
    const progress = this.progressOf(held);
    const { original, kbConfig } = await ingestStep('read', async () => ({
      original: await this.blobs.get(scope, claim.id).catch(() => {
        throw new DocumentFailure('the original file is missing from blob storage; upload it again');
      }),
      kbConfig: await this.kbConfig(scope),
    }));
    const { contentHash: hash, chunks } = await ingestStep('prepare', () =>
      this.prepare(scope, claim, original, kbConfig),
    );
    await progress(20);
    held.check();

    const { embeddings, space } = await ingestStep('embed', () =>
      this.embed(scope, kbConfig, chunks, (done) => progress(20 + Math.round((70 * done) / chunks.length))),
    );

    held.check();
    const ids = chunks.map((c) => chunkId(`${claim.id}:${c.ordinal}`));
    await ingestStep('chunk-write', async () => {
      await this.vectors.deleteDocuments(scope, [claim.id]);
      await replaceChunkRows(
        this.dataSource,
        scope,
        claim.id,
        chunks.map((chunk, i) => ({ ...chunk, id: ids[i] })),
      );
    });
    const records: VectorRecord[] = chunks.map((_, i) => ({
      id: ids[i],
      kind: 'chunk',
      documentId: claim.id,
      vector: embeddings[i],
    }));
    await ingestStep('vector-write', () => this.vectors.upsert(scope, space, records));
    return {
      hash,
      chunkCount: chunks.length,
      tokenCount: chunks.reduce((sum, c) => sum + c.tokenCount, 0),
      space,
      graph: kbConfig.extraction.enabled ? ('pending' as const) : ('skipped' as const),
    };
  }

  /** Parses, normalises and chunks the original on the CPU pool, then records its content hash. */
  private async prepare(
    scope: KbScope,
    claim: ClaimedDocument,
    original: Buffer,
    kbConfig: KnowledgeBaseConfig,
  ) {
    const prepared = await this.cpu
      .run(
        'prepareDocument',
        {
          format: detectFormat(claim.sourceName, claim.mimeType),
          content: original,
          chunking: {
            chunkSize: kbConfig.chunking.chunk_size,
            chunkOverlap: kbConfig.chunking.chunk_overlap,
          },
          zip: this.zipBounds,
        },
        { timeoutMs: this.parseTimeoutMs },
      )
      .catch((error: unknown) => {
        if (error instanceof CpuTaskFailed)
          throw new DocumentFailure(`the document could not be parsed: it ${error.message}`);
        throw error;
      });
    if (!prepared.ok) throw new DocumentFailure(prepared.error);
    await this.recordContentHash(scope, claim, prepared.contentHash);
    return prepared;
  }

  /** Whether the KB embeds at a provider and its tenant used its embedding tokens for today (see TokenWaits). */
  private outOfEmbeddingTokens(scope: KbScope): Promise<boolean> {
    return this.tokenWaits.waiting(scope, 'embedding', async () => {
      const kb = await this.kbConfig(scope);
      const embedder = await this.spaces.embedderFor(scope, kb.embedding.model).catch(() => null);
      return embedder !== null && embedder.model !== LEXICAL_MODEL;
    });
  }

  /** Embeds the chunks with the KB's model on the CPU pool, and claims the space their vectors go in. */
  private async embed(
    scope: KbScope,
    kbConfig: KnowledgeBaseConfig,
    chunks: ReadonlyArray<{ content: string }>,
    onProgress: (done: number) => Promise<unknown>,
  ) {
    const tenant = await this.tenantConfig.settings(scope);
    const embedder = onCpuPool(
      await this.spaces.embedderFor(scope, kbConfig.embedding.model, tenant).catch((error: Error) => {
        throw new DocumentFailure(error.message);
      }),
      this.cpu,
    );
    const embeddings = await embedInSlices(
      embedder,
      chunks.map((c) => c.content),
      onProgress,
    );
    const space = await this.spaces.claim(scope, { model: embedder.model, dimension: embeddings[0].length });
    return { embeddings, space };
  }

  /**
   * Records progress at most once per PROGRESS_INTERVAL_MS (one UPDATE per slice cost a statement
   * per 64 chunks), and stops the work between slices once the claim is gone: a cancelled
   * document's remaining chunks are not sent to the provider.
   */
  private progressOf(held: HeldLease): (percent: number) => Promise<unknown> {
    let last = Date.now();
    return async (percent) => {
      if (Date.now() - last >= PROGRESS_INTERVAL_MS) {
        last = Date.now();
        await held.beat(percent);
      }
      held.check();
    };
  }

  /** Sets the content hash; a second document with the same text fails here. */
  private async recordContentHash(scope: KbScope, claim: Claim, hash: string): Promise<void> {
    const record = await this.claims.recordContentHash(scope, claim, hash);
    if (!record.recorded)
      throw new DocumentFailure(
        `the same text is already in this knowledge base as document ${record.heldBy ?? '(unknown)'}`,
      );
  }

  /** Marks the document processed, if this run still owns it. */
  private async finish(
    scope: KbScope,
    claim: Claim,
    result: {
      hash: string;
      chunkCount: number;
      tokenCount: number;
      space: VectorSpace;
      graph: 'pending' | 'skipped';
    },
    elapsedMs: number,
  ): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      if (!(await this.claims.markProcessed(manager, scope, claim, result, result.graph))) return false;
      await this.record(manager, scope, claim.id, 'success', {
        chunks: result.chunkCount,
        tokens: result.tokenCount,
        embedding_model: result.space.model,
        graph: result.graph,
        elapsed_ms: elapsedMs,
      });
      return true;
    });
  }

  private async fail(scope: KbScope, claim: Claim, message: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      if (await this.claims.markFailed(manager, scope, claim, message.slice(0, 2000)))
        await this.record(manager, scope, claim.id, 'error', { error: message.slice(0, 500) });
    });
  }

  /** A document deleted while this run worked on it: take back the vectors this run wrote. */
  private async cleanUpIfGone(scope: KbScope, documentId: string): Promise<void> {
    const status = await this.claims.status(scope, documentId);
    if (status === null || status === 'deleting') {
      await this.vectors.deleteDocuments(scope, [documentId]);
    }
  }

  private async kbConfig(scope: KbScope) {
    const config = await readKbConfig(this.dataSource, scope);
    if (config === null) throw new DocumentFailure('the knowledge base no longer exists');
    return config;
  }

  private record(
    manager: EntityManager,
    scope: KbScope,
    documentId: string,
    outcome: 'success' | 'error',
    details: Record<string, unknown>,
  ) {
    return recordDocumentEvent(this.audit, manager, 'document.ingest', scope, documentId, outcome, details);
  }
}
