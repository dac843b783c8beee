import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { basename } from 'node:path';
import { DataSource } from 'typeorm';
import { AuditService } from '@strata/audit';
import { AppConfig, nameBasedIds } from '@strata/core';
import {
  contentHash,
  DocumentsService,
  existingDocumentIds,
  normalizeText,
  type NewDocument,
  titleFromText,
  type Claim,
  DocumentClaimsRepository,
  replaceChunkRows,
} from '@strata/documents';
import { EmbeddingSpaceService } from '@strata/embeddings';
import { type ChunkExtraction, GraphMerger, mergeTools } from '@strata/graph';
import { readKbConfig } from '@strata/knowledge-bases';
import type { Embedder } from '@strata/providers';
import { GraphStore, JobQueue, packTermsWhenDue, type VectorSpace, VectorStore } from '@strata/storage';
import type { KbScope, TenantContext } from '@strata/tenancy';
import { claimedOwnership } from '../../pipeline/claimed-ownership';
import { embedInSlices } from '../../pipeline/embed-in-slices';
import type { LightragChunk, LightragDataset, LightragDocument } from './lightrag-dataset';

/** Fixed namespace of imported ids: a LightRAG id maps to the same Strata id in a KB on every run. */
const importId = nameBasedIds('8d3f1c52-7e0a-4b6f-9a2d-51c4e7b80f13');

export const importedDocumentId = (kbId: string, lightragId: string) =>
  importId(`${kbId}:lightrag:document:${lightragId}`);
export const importedChunkId = (kbId: string, lightragId: string) =>
  importId(`${kbId}:lightrag:chunk:${lightragId}`);

export interface LightragImportOptions {
  dryRun: boolean;
  /** The model LightRAG embedded with; its vectors are kept when it and the dimension match the KB's. */
  sourceEmbeddingModel: string | null;
  onDocument?: (done: number, total: number) => void;
}

export interface LightragImportReport {
  dryRun: boolean;
  /** What the working directory holds. */
  source: { documents: number; chunks: number; entities: number; relations: number };
  /** Imported with their chunks and graph, as LightRAG processed them. */
  imported: number;
  /** In the KB from an earlier run: left as they are. */
  unchanged: number;
  /** Not processed in LightRAG: added as pending, for Strata's pipeline to ingest. */
  queued: number;
  skipped: Array<{ id: string; reason: string }>;
  chunks: number;
  entityMentions: number;
  relationMentions: number;
  vectors: { reused: number; embedded: number };
  /** The KB's merged graph after the run. */
  graph: { entities: number; relations: number };
  warnings: string[];
}

/**
 * Imports a LightRAG working directory into a KB. Documents keep their LightRAG ids (in their
 * metadata, and as the seed of their Strata ids), chunks keep LightRAG's chunking, and each
 * entity and relation is recorded as mentioned by the chunks LightRAG lists as its sources, so the
 * KB's graph merges to LightRAG's. A document already in the KB is left alone, so a second run
 * changes nothing. Each document is claimed like an ingestion: if the import stops half way, an
 * unfinished document's lease runs out and the pipeline ingests it from its text.
 */
@Injectable()
export class LightragImporter {
  private readonly claims: DocumentClaimsRepository;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    config: AppConfig,
    private readonly documents: DocumentsService,
    private readonly spaces: EmbeddingSpaceService,
    private readonly vectors: VectorStore,
    private readonly graph: GraphMerger,
    private readonly audit: AuditService,
    private readonly queue: JobQueue,
    private readonly graphStore: GraphStore,
  ) {
    this.claims = new DocumentClaimsRepository(dataSource, config.ingestion.leaseSeconds);
  }

  async import(
    context: TenantContext,
    dataset: LightragDataset,
    options: LightragImportOptions,
  ): Promise<LightragImportReport> {
    const scope = context.kbScope();
    const report: LightragImportReport = {
      dryRun: options.dryRun,
      source: {
        documents: dataset.documents.length,
        chunks: dataset.chunks.length,
        entities: dataset.entities.length,
        relations: dataset.relations.length,
      },
      imported: 0,
      unchanged: 0,
      queued: 0,
      skipped: [],
      chunks: 0,
      entityMentions: 0,
      relationMentions: 0,
      vectors: { reused: 0, embedded: 0 },
      graph: { entities: 0, relations: 0 },
      warnings: [...dataset.warnings],
    };
    await this.run(context, dataset, options, report);
    report.graph = await this.graphStore.count(scope);
    return report;
  }

  private async run(
    context: TenantContext,
    dataset: LightragDataset,
    options: LightragImportOptions,
    report: LightragImportReport,
  ): Promise<void> {
    const scope = context.kbScope();
    const existing = await this.existingIds(scope, dataset.documents);
    const fresh = dataset.documents.filter((d) => !existing.has(importedDocumentId(scope.kbId, d.id)));
    report.unchanged = dataset.documents.length - fresh.length;
    if (options.dryRun || fresh.length === 0) {
      if (options.dryRun) report.imported = fresh.filter((d) => d.processed).length;
      if (options.dryRun) report.queued = fresh.length - report.imported;
      return;
    }

    // One call, so the tenant's quotas admit the whole import or none of it.
    const accepted = await this.documents.add(
      context,
      fresh.map((d) => this.toNewDocument(scope, d)),
      { enqueue: false },
    );
    const added = fresh.filter(
      (d, i) => !accepted[i].duplicate || this.skipDuplicate(d, accepted[i].id, report),
    );
    for (const document of added.filter((d) => !d.processed)) {
      await this.queue.enqueue({
        type: 'ingest',
        tenantId: scope.tenantId,
        kbId: scope.kbId,
        targetId: importedDocumentId(scope.kbId, document.id),
      });
      report.queued++;
    }
    const ours = added.filter((d) => d.processed);
    if (ours.length === 0) return;
    const embedding = await this.embedding(scope, dataset, options.sourceEmbeddingModel);
    const chunksOf = groupBy(dataset.chunks, (c) => c.documentId);
    let done = 0;
    for (const document of ours) {
      const imported = await this.importDocument(
        scope,
        document,
        chunksOf.get(document.id) ?? [],
        dataset,
        embedding,
      );
      if (imported === null) {
        report.queued++;
        report.warnings.push(
          `document ${document.id} was taken by the pipeline, which ingests it from its text`,
        );
      } else {
        report.imported++;
        report.chunks += imported.chunks;
        report.entityMentions += imported.entityMentions;
        report.relationMentions += imported.relationMentions;
        report.vectors[imported.vectorsReused ? 'reused' : 'embedded'] += imported.chunks;
      }
      options.onDocument?.(++done, ours.length);
    }
  }

  private async importDocument(
    scope: KbScope,
    document: LightragDocument,
    chunks: LightragChunk[],
    dataset: LightragDataset,
    embedding: ImportEmbedding,
  ) {
    const documentId = importedDocumentId(scope.kbId, document.id);
    const claimed = await this.claims.claim(scope, documentId);
    if (claimed === null) return null;
    const ordered = [...chunks].sort((a, b) => a.order - b.order);
    const ids = ordered.map((c) => importedChunkId(scope.kbId, c.id));
    const reuse = embedding.reuse && ordered.every((c) => dataset.chunkVectors!.byChunkId.has(c.id));
    const vectors = reuse
      ? ordered.map((c) => dataset.chunkVectors!.byChunkId.get(c.id)!)
      : await embedInSlices(
          embedding.embedder,
          ordered.map((c) => c.content),
        );
    const space = await this.spaces.claim(scope, {
      model: embedding.embedder.model,
      dimension: vectors[0].length,
    });

    await this.vectors.deleteDocuments(scope, [documentId]);
    await replaceChunkRows(
      this.dataSource,
      scope,
      documentId,
      ordered.map((c, i) => ({
        id: ids[i],
        ordinal: i,
        content: c.content,
        tokenCount: c.tokens,
        heading: null,
      })),
    );
    await this.vectors.upsert(
      scope,
      space,
      ordered.map((_, i) => ({ id: ids[i], kind: 'chunk' as const, documentId, vector: vectors[i] })),
    );
    const extractions = graphOfChunks(ordered, dataset).map((extraction, i) => ({
      chunkId: ids[i],
      extraction,
    }));
    const merged = await this.graph.replaceDocuments(
      scope,
      [{ documentId, chunks: extractions }],
      claimedOwnership(this.claims, scope, claimed),
      mergeTools(embedding.embedder, space, null),
    );
    if (!merged.has(documentId)) return null;
    const counts = {
      chunks: ordered.length,
      entityMentions: extractions.reduce((sum, e) => sum + e.extraction.entities.length, 0),
      relationMentions: extractions.reduce((sum, e) => sum + e.extraction.relations.length, 0),
      vectorsReused: reuse,
    };
    const finished = await this.finish(scope, claimed, document, counts, space, ordered);
    await packTermsWhenDue(this.dataSource, scope);
    return finished ? counts : null;
  }

  private finish(
    scope: KbScope,
    claim: Claim,
    document: LightragDocument,
    counts: { chunks: number; entityMentions: number; relationMentions: number; vectorsReused: boolean },
    space: VectorSpace,
    chunks: LightragChunk[],
  ): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const tokenCount = chunks.reduce((sum, c) => sum + c.tokens, 0);
      if (
        !(await this.claims.markProcessed(
          manager,
          scope,
          claim,
          { chunkCount: chunks.length, tokenCount },
          'done',
        ))
      )
        return false;
      await this.audit.record(
        {
          action: 'document.import',
          outcome: 'success',
          resourceType: 'document',
          resourceId: claim.id,
          details: {
            source: 'lightrag',
            lightrag_id: document.id,
            chunks: counts.chunks,
            entity_mentions: counts.entityMentions,
            relation_mentions: counts.relationMentions,
            embedding_model: space.model,
            vectors: counts.vectorsReused ? 'reused' : 'embedded',
          },
        },
        manager,
      );
      return true;
    });
  }

  /** The KB's embedder, and whether LightRAG's chunk vectors are in its space and can be kept. */
  private async embedding(
    scope: KbScope,
    dataset: LightragDataset,
    sourceModel: string | null,
  ): Promise<ImportEmbedding> {
    const kb = await readKbConfig(this.dataSource, scope);
    const embedder = await this.spaces.embedderFor(scope, kb?.embedding.model ?? null);
    const stored = dataset.chunkVectors;
    if (stored === null || sourceModel === null || sourceModel !== embedder.model)
      return { embedder, reuse: false };
    const dimension = embedder.dimension ?? (await embedder.embed(['dimension probe']))[0].length;
    return { embedder, reuse: dimension === stored.dimension };
  }

  private async existingIds(scope: KbScope, documents: LightragDocument[]): Promise<Set<string>> {
    return existingDocumentIds(
      this.dataSource,
      scope,
      documents.map((d) => importedDocumentId(scope.kbId, d.id)),
    );
  }

  private toNewDocument(scope: KbScope, document: LightragDocument): NewDocument {
    const text = normalizeText(document.content);
    return {
      id: importedDocumentId(scope.kbId, document.id),
      title: document.filePath ? basename(document.filePath) : titleFromText(text),
      sourceName: document.filePath ? basename(document.filePath) : null,
      mimeType: 'text/plain',
      content: Buffer.from(text, 'utf8'),
      metadata: {
        lightrag_id: document.id,
        ...(document.filePath ? { lightrag_file_path: document.filePath } : {}),
      },
      contentHash: contentHash(text),
    };
  }

  /** A document whose text the KB already holds under another id: skipped, never merged into it. */
  private skipDuplicate(document: LightragDocument, existingId: string, report: LightragImportReport): false {
    report.skipped.push({
      id: document.id,
      reason: `the same text is already in the KB as document ${existingId}`,
    });
    return false;
  }
}

interface ImportEmbedding {
  embedder: Embedder;
  reuse: boolean;
}

/**
 * What each chunk said, as LightRAG recorded it: every entity and relation listing the chunk among
 * its sources is mentioned there, with its merged description. A relation's weight is shared out
 * between its sources, so the KB's merged weight is LightRAG's.
 */
export function graphOfChunks(chunks: readonly LightragChunk[], dataset: LightragDataset): ChunkExtraction[] {
  const wanted = new Set(chunks.map((c) => c.id));
  const byChunk = new Map<string, ChunkExtraction>(
    chunks.map((c) => [c.id, { entities: [], relations: [] }]),
  );
  for (const entity of dataset.entities)
    for (const chunkId of entity.sourceChunkIds)
      if (wanted.has(chunkId))
        byChunk
          .get(chunkId)!
          .entities.push({ name: entity.name, type: entity.type, description: entity.description });
  for (const relation of dataset.relations)
    for (const chunkId of relation.sourceChunkIds)
      if (wanted.has(chunkId))
        byChunk.get(chunkId)!.relations.push({
          source: relation.source,
          target: relation.target,
          keywords: relation.keywords,
          description: relation.description,
          weight: relation.weight / relation.sourceChunkIds.length,
        });
  return chunks.map((c) => byChunk.get(c.id)!);
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}
