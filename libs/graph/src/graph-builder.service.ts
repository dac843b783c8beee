import { Injectable } from '@nestjs/common';
import { mapConcurrently } from '@strata/core';
import type { KnowledgeBaseConfig } from '@strata/knowledge-bases';
import { type ChatModel, ChatModelFactory, type Embedder, ProviderError } from '@strata/providers';
import type { VectorSpace } from '@strata/storage';
import type { KbScope } from '@strata/tenancy';
import { type TenantSettings, TokenMeter } from '@strata/tenants';
import type { ChunkExtraction, Extractor } from './extraction/extraction';
import { chooseExtractor } from './extraction/extractor-choice';
import type { DocumentExtraction, DocumentOwnership } from './merge/graph-mentions.repository';
import { GraphMerger, mergeTools } from './merge/graph-merger.service';

/** Chunks in extraction at once per batch: LLM calls in flight, or tasks for the CPU pool's threads. */
const EXTRACTION_CONCURRENCY = 4;

/** A document whose chunks go into the graph. */
export interface GraphSource {
  id: string;
  chunks: ReadonlyArray<{ id: string; content: string }>;
}

/** What extraction found in a batch, ready to merge: per document, or why its graph failed. */
export interface GraphExtraction {
  extractor: string;
  documents: DocumentExtraction[];
  failed: Map<string, string>;
  tokensIn: number;
  tokensOut: number;
  /** The KB's LLM, which summarises long merged descriptions; null without one. */
  llm: ChatModel | null;
}

/** What one batch did: per document, its counts once merged, or why its graph failed. */
export interface GraphBatchResult {
  extractor: string;
  built: Map<string, { entities: number; relations: number }>;
  failed: Map<string, string>;
  tokensIn: number;
  tokensOut: number;
}

/**
 * Turns batches of documents into their contribution to the KB's knowledge graph: extraction per
 * chunk (the KB's choice of LLM or embedded NLP), then one merge for the whole batch, with entity
 * and relation vectors in the KB's embedding space. The two steps are apart so that a caller can
 * extract the next batch while it merges this one.
 */
@Injectable()
export class GraphBuilder {
  constructor(
    private readonly chatModels: ChatModelFactory,
    private readonly merger: GraphMerger,
    private readonly meter: TokenMeter,
  ) {}

  /** Whether the KB's graph is extracted by an LLM, whose tokens the tenant's daily quota counts. */
  extractsWithLlm(kb: KnowledgeBaseConfig, tenant: TenantSettings): boolean {
    if (!kb.extraction.enabled || kb.extraction.method === 'embedded') return false;
    return this.chatModels.forKnowledgeBase(tenant.provider('llm'), kb.llm.model) !== null;
  }

  /**
   * Extracts every chunk of `documents`; null when the KB does not extract. A provider that fails
   * on a chunk fails that document's graph, not the batch's. `embeddedExtractor` stands in for
   * the in-process embedded extractor.
   */
  async extract(
    scope: KbScope,
    documents: readonly GraphSource[],
    kb: KnowledgeBaseConfig,
    tenant: TenantSettings,
    embeddedExtractor?: Extractor,
  ): Promise<GraphExtraction | null> {
    const model = this.chatModels.forKnowledgeBase(tenant.provider('llm'), kb.llm.model);
    // Its tokens, summaries of merged descriptions included, count as the KB's extraction.
    const llm = model && this.meter.chatModel(scope, 'extraction', model);
    const extractor = chooseExtractor(kb, llm, embeddedExtractor);
    if (extractor === null) return null;
    const failed = new Map<string, string>();
    let tokensIn = 0;
    let tokensOut = 0;
    const work = documents.flatMap((d) => d.chunks.map((chunk) => ({ documentId: d.id, chunk })));
    const extractions = await mapConcurrently(
      work,
      EXTRACTION_CONCURRENCY,
      async ({ documentId, chunk }): Promise<ChunkExtraction | null> => {
        if (failed.has(documentId)) return null;
        try {
          const result = await extractor.extract(chunk.content);
          tokensIn += result.tokensIn ?? 0;
          tokensOut += result.tokensOut ?? 0;
          return { entities: result.entities, relations: result.relations };
        } catch (error) {
          if (!(error instanceof ProviderError)) throw error;
          failed.set(documentId, `graph extraction failed: ${error.message}`);
          return null;
        }
      },
    );
    const byDocument = new Map<string, Array<{ chunkId: string; extraction: ChunkExtraction }>>(
      documents.filter((d) => !failed.has(d.id)).map((d) => [d.id, []]),
    );
    work.forEach(({ documentId, chunk }, i) => {
      const extraction = extractions[i];
      if (extraction !== null) byDocument.get(documentId)?.push({ chunkId: chunk.id, extraction });
    });
    return {
      extractor: extractor.name,
      documents: [...byDocument].map(([documentId, chunks]) => ({ documentId, chunks })),
      failed,
      tokensIn,
      tokensOut,
      llm,
    };
  }

  /**
   * Merges what a batch's extraction found into the graph at once, for the documents `owned`
   * still answers for (the others are left out of the merge and of the result).
   */
  async merge(
    scope: KbScope,
    extraction: GraphExtraction,
    owned: DocumentOwnership,
    embedding: { embedder: Embedder; space: VectorSpace },
  ): Promise<GraphBatchResult> {
    const built = await this.merger.replaceDocuments(
      scope,
      extraction.documents,
      owned,
      mergeTools(embedding.embedder, embedding.space, extraction.llm),
    );
    const { extractor, failed, tokensIn, tokensOut } = extraction;
    return { extractor, built, failed, tokensIn, tokensOut };
  }

  /** Takes deleted documents' contributions out of the graph, merging what they touched once. */
  async removeDocuments(scope: KbScope, documentIds: readonly string[]): Promise<void> {
    await this.merger.removeDocuments(scope, documentIds, null);
  }
}
