import type { ChunkWithTitle } from '@strata/documents';

/** A chunk a retriever found, with what context building and references need. */
export interface RankedChunk extends ChunkWithTitle {
  /** Fused score, or the rerank provider's relevance once reranked. */
  score: number;
}
