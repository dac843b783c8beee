import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { documentsMatching, readChunksWithTitles } from '@strata/documents';
import { type KnowledgeBaseConfig, vectorWeightOf } from '@strata/knowledge-bases';
import { LEXICAL_MODEL, ProviderError, asProviderFailure } from '@strata/providers';
import { ChunkTextSearch, VectorStore } from '@strata/storage';
import type { KbScope } from '@strata/tenancy';
import type { TenantSettings } from '@strata/tenants';
import type { QueryFiltersDto } from '../dto/query.dto';
import { QuestionEmbedder } from './question-embedder';
import type { RankedChunk } from './ranked-chunk';
import { reciprocalRankFusion } from './reciprocal-rank-fusion';

export interface ChunkSearch {
  query: string;
  /** Candidates each retriever returns. */
  topK: number;
  /** Chunks kept after fusion. */
  chunkTopK: number;
  /** Only chunks of these documents (the filters, resolved by `documentsMatching`); all when undefined. */
  documentIds: string[] | undefined;
}

export interface RetrievedChunks {
  /** Best first. */
  chunks: RankedChunk[];
  warnings: string[];
}

/** One of the KBs a question is asked of, with its settings. */
export interface KbPart {
  scope: KbScope;
  kb: KnowledgeBaseConfig;
}

/** Chunks found across KBs, with the KB each is in. */
export interface RetrievedAcross extends RetrievedChunks {
  kbOfChunk: Map<string, string>;
}

/**
 * Finds a KB's chunks for a question: dense vectors and full-text rank (BM25, the question expanded
 * by relevance feedback when the KB's `feedback_chunks` asks for it) in parallel, fused by
 * reciprocal rank fusion with the KB's k and weights (a weight of 0 leaves that retriever out;
 * the vector weight by default follows the KB's embedder, see `vectorWeightOf`).
 * Every read is filtered by the KB's tenant and id.
 */
@Injectable()
export class ChunkRetriever {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly questions: QuestionEmbedder,
    private readonly vectors: VectorStore,
    private readonly text: ChunkTextSearch,
  ) {}

  async retrieve(
    scope: KbScope,
    kb: KnowledgeBaseConfig,
    tenant: TenantSettings,
    search: ChunkSearch,
  ): Promise<RetrievedChunks> {
    const warnings: string[] = [];
    const { documentIds } = search;
    const { text_weight: textWeight, rrf_k: rrfK, feedback_chunks: feedbackChunks } = kb.query;
    const vectorWeight = vectorWeightOf(kb, LEXICAL_MODEL);
    const [vectorIds, textIds] = await Promise.all([
      vectorWeight > 0 ? this.vectorsOrTextOnly(scope, kb, tenant, search, warnings) : [],
      textWeight > 0
        ? this.text
            .search(scope, search.query, search.topK, { documentIds, feedbackChunks })
            .then((hits) => hits.map((h) => h.chunkId))
        : [],
    ]);
    const fused = reciprocalRankFusion(
      [
        { ids: vectorIds, weight: vectorWeight },
        { ids: textIds, weight: textWeight },
      ].filter((list) => list.weight > 0),
      rrfK,
    ).slice(0, search.chunkTopK);
    return { chunks: await this.withScores(scope, fused), warnings };
  }

  /**
   * The chunks of several KBs for one question. Full text is one ranking over all of them, their
   * statistics pooled as if they were one collection (see `ChunkTextSearch.searchAcross`), so a KB
   * holding more of the answer gives more of the best chunks. Vectors are searched in each KB's own
   * space (KBs may embed with different models, whose similarities share no scale) and enter the
   * reciprocal rank fusion as one ranked list per KB. The first KB's k, text weight and feedback
   * setting apply; each KB's vector weight is its own.
   */
  async retrieveAcross(
    parts: readonly KbPart[],
    tenant: TenantSettings,
    search: ChunkSearch,
  ): Promise<RetrievedAcross> {
    const warnings: string[] = [];
    const first = parts[0].kb.query;
    const kbOfChunk = new Map<string, string>();
    const [textHits, vectorLists] = await Promise.all([
      first.text_weight > 0
        ? this.text.searchAcross(
            parts.map((part) => part.scope),
            search.query,
            search.topK,
            { documentIds: search.documentIds, feedbackChunks: first.feedback_chunks },
          )
        : [],
      Promise.all(
        parts.map(async ({ scope, kb }) => {
          const weight = vectorWeightOf(kb, LEXICAL_MODEL);
          const ids = weight > 0 ? await this.vectorsOrTextOnly(scope, kb, tenant, search, warnings) : [];
          ids.forEach((id) => kbOfChunk.set(id, scope.kbId));
          return { ids, weight };
        }),
      ),
    ]);
    textHits.forEach((hit) => kbOfChunk.set(hit.chunkId, hit.kbId));
    const fused = reciprocalRankFusion(
      [{ ids: textHits.map((hit) => hit.chunkId), weight: first.text_weight }, ...vectorLists].filter(
        (list) => list.weight > 0 && list.ids.length > 0,
      ),
      first.rrf_k,
    ).slice(0, search.chunkTopK);
    return {
      chunks: await this.readAcross(parts, fused, kbOfChunk),
      kbOfChunk,
      warnings: [...new Set(warnings)],
    };
  }

  /** Chunks of several KBs in the given order and with the given scores, each read in its KB. */
  async readAcross(
    parts: readonly KbPart[],
    ranked: ReadonlyArray<{ id: string; score: number }>,
    kbOfChunk: ReadonlyMap<string, string>,
    known: readonly RankedChunk[] = [],
  ): Promise<RankedChunk[]> {
    const read = await Promise.all(
      parts.map(({ scope }) =>
        this.withScores(
          scope,
          ranked.filter((r) => kbOfChunk.get(r.id) === scope.kbId),
          known,
        ),
      ),
    );
    const byId = new Map(read.flat().map((chunk) => [chunk.id, chunk]));
    return ranked.flatMap(({ id }) => (byId.has(id) ? [byId.get(id)!] : []));
  }

  /**
   * Chunk ids found some other way (a graph walk's sources, in the walk's order) ranked for the
   * question: by reciprocal rank fusion of the walk's order and the chunks' BM25 rank among
   * themselves, so a chunk that answers the question's words rises and the walk's order still
   * breaks ties between chunks the words cannot tell apart.
   */
  async rankForQuestion(
    scope: KbScope,
    kb: KnowledgeBaseConfig,
    query: string,
    ids: readonly string[],
  ): Promise<string[]> {
    if (ids.length === 0 || kb.query.text_weight <= 0) return [...ids];
    const hits = await this.text.search(scope, query, ids.length, { chunkIds: ids });
    // Equal scores (the same words, e.g. one shared verb) keep the walk's order, not the ids'.
    const walkRank = new Map(ids.map((id, rank) => [id, rank]));
    const byText = hits
      .sort((a, b) => b.score - a.score || walkRank.get(a.chunkId)! - walkRank.get(b.chunkId)!)
      .map((h) => h.chunkId);
    return reciprocalRankFusion(
      [
        { ids, weight: 1 },
        { ids: byText, weight: 1 },
      ],
      kb.query.rrf_k,
    ).map((item) => item.id);
  }

  /**
   * Chunks found some other way (the graph's sources), in the given order and with the given
   * scores, limited to `documentIds` (all when undefined). Chunks in `known` are not read again.
   */
  async chunksByIds(
    scope: KbScope,
    ranked: ReadonlyArray<{ id: string; score: number }>,
    documentIds: string[] | undefined,
    known: readonly RankedChunk[] = [],
  ): Promise<RankedChunk[]> {
    const chunks = await this.withScores(scope, ranked, known);
    if (documentIds === undefined) return chunks;
    const allowed = new Set(documentIds);
    return chunks.filter((chunk) => allowed.has(chunk.document_id));
  }

  private async withScores(
    scope: KbScope,
    ranked: ReadonlyArray<{ id: string; score: number }>,
    known: readonly RankedChunk[] = [],
  ): Promise<RankedChunk[]> {
    const byId = new Map<string, Omit<RankedChunk, 'score'>>(known.map((chunk) => [chunk.id, chunk]));
    const rows = await readChunksWithTitles(
      this.dataSource,
      scope,
      ranked.map((r) => r.id).filter((id) => !byId.has(id)),
    );
    for (const row of rows) byId.set(row.id, row);
    return ranked.flatMap(({ id, score }) => {
      const row = byId.get(id);
      return row ? [{ ...row, score }] : [];
    });
  }

  /** Document ids the filters allow; undefined when there are no filters. */
  async documentsMatching(scope: KbScope, filters?: QueryFiltersDto): Promise<string[] | undefined> {
    if (!filters || (filters.document_ids === undefined && filters.metadata === undefined)) return undefined;
    return documentsMatching(this.dataSource, scope, {
      documentIds: filters.document_ids,
      metadata: filters.metadata,
    });
  }

  /**
   * The vector candidates; when the embedding provider fails and the tenant chose `text_only`,
   * none, with a warning (the full-text ranking carries on alone).
   */
  private vectorsOrTextOnly(
    scope: KbScope,
    kb: KnowledgeBaseConfig,
    tenant: TenantSettings,
    search: ChunkSearch,
    warnings: string[],
  ): Promise<string[]> {
    return this.vectorCandidates(scope, kb, tenant, search, search.documentIds).catch((error: unknown) => {
      if (!(error instanceof ProviderError) || tenant.onProviderFailure.embedding !== 'text_only') {
        throw asProviderFailure(error, 'embedding provider');
      }
      warnings.push(
        `The embedding provider failed (${error.message}); chunks were found by full text alone.`,
      );
      return [];
    });
  }

  /** Chunk ids nearest to the question, in the KB's recorded embedding space (none before its first vectors). */
  private async vectorCandidates(
    scope: KbScope,
    kb: KnowledgeBaseConfig,
    tenant: TenantSettings,
    search: ChunkSearch,
    documentIds: string[] | undefined,
  ): Promise<string[]> {
    const embedded = await this.questions.embed(scope, kb, tenant, search.query);
    if (embedded === null) return [];
    const hits = await this.vectors.search(scope, embedded.space, {
      vector: embedded.vector,
      kind: 'chunk',
      limit: search.topK,
      documentIds,
    });
    return hits.map((h) => h.id);
  }
}
