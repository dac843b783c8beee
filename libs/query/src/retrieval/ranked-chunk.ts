/** A chunk a retriever found, with what context building and references need. */
export interface RankedChunk {
  id: string;
  document_id: string;
  ordinal: number;
  content: string;
  token_count: number;
  title: string;
  /** Fused score, or the rerank provider's relevance once reranked. */
  score: number;
}
