export interface RerankResult {
  /** Position of the document in the list given to `rerank`. */
  index: number;
  /** The provider's relevance score; higher is more relevant. */
  score: number;
}

/** Orders documents by relevance to a query (a cross-encoder behind a `/rerank` endpoint). */
export interface Reranker {
  readonly model: string;
  /** The `topN` most relevant documents, best first. */
  rerank(
    query: string,
    documents: readonly string[],
    topN: number,
    signal?: AbortSignal,
  ): Promise<RerankResult[]>;
}
