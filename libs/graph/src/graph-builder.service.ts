import { Injectable } from '@nestjs/common';
import { mapConcurrently } from '@strata/core';
import type { KnowledgeBaseConfig } from '@strata/knowledge-bases';
import { ChatModelFactory, type Embedder } from '@strata/providers';
import type { VectorSpace } from '@strata/storage';
import type { KbScope } from '@strata/tenancy';
import type { TenantSettings } from '@strata/tenants';
import { chooseExtractor } from './extraction/extractor-choice';
import { GraphSync, mergeTools } from './merge/graph-sync.service';

/** LLM calls in flight per document during extraction. */
const LLM_EXTRACTION_CONCURRENCY = 4;

export interface GraphBuildResult {
  extractor: string;
  entities: number;
  relations: number;
  tokensIn: number;
  tokensOut: number;
}

/**
 * Turns a document's chunks into its contribution to the KB's knowledge graph: extraction per
 * chunk (the KB's choice of LLM or embedded NLP), then the merge into the graph with entity and
 * relation vectors in the KB's embedding space.
 */
@Injectable()
export class GraphBuilder {
  constructor(
    private readonly chatModels: ChatModelFactory,
    private readonly sync: GraphSync,
  ) {}

  /**
   * Extracts and merges; null when the KB does not extract, or `attempt` lost the document.
   * `onProgress` hears the share of chunks done.
   */
  async buildDocument(
    scope: KbScope,
    document: { id: string; attempt: number },
    kb: KnowledgeBaseConfig,
    tenant: TenantSettings,
    chunks: ReadonlyArray<{ id: string; content: string }>,
    embedding: { embedder: Embedder; space: VectorSpace },
    onProgress?: (done: number) => void,
  ): Promise<GraphBuildResult | null> {
    const llm = this.chatModels.forKnowledgeBase(tenant.provider('llm'), kb.llm.model);
    const extractor = chooseExtractor(kb, llm);
    if (extractor === null) return null;
    let done = 0;
    let tokensIn = 0;
    let tokensOut = 0;
    const extractions = await mapConcurrently(
      chunks,
      extractor.name === 'embedded-nlp' ? 1 : LLM_EXTRACTION_CONCURRENCY,
      async (chunk) => {
        const result = await extractor.extract(chunk.content);
        tokensIn += result.tokensIn ?? 0;
        tokensOut += result.tokensOut ?? 0;
        onProgress?.(++done / chunks.length);
        return { chunkId: chunk.id, extraction: { entities: result.entities, relations: result.relations } };
      },
    );
    const merged = await this.sync.replaceDocument(
      scope,
      document.id,
      document.attempt,
      extractions,
      mergeTools(embedding.embedder, embedding.space, llm),
    );
    if (merged === null) return null;
    return { extractor: extractor.name, ...merged, tokensIn, tokensOut };
  }

  /** Takes a deleted document's contribution out of the graph. */
  async removeDocument(scope: KbScope, documentId: string): Promise<void> {
    await this.sync.removeDocument(scope, documentId, null);
  }
}
