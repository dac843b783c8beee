import { ProviderError } from '../http/provider-error';
import { type EndpointSettings, postJson } from '../http/provider-http';
import type { Reranker, RerankResult } from './reranker';

export type HttpRerankerSettings = EndpointSettings;

interface ScoredEntry {
  index?: unknown;
  relevance_score?: unknown;
  score?: unknown;
}

/**
 * A `/rerank` endpoint as Cohere, Jina, vLLM and Xinference serve it (`{model, query, documents,
 * top_n}` → `{results: [{index, relevance_score}]}`). An answer that is a bare list of `{index,
 * score}` (text-embeddings-inference's shape) is read too; TEI itself expects `texts`, so it needs
 * a gateway that accepts the common request.
 */
export class HttpReranker implements Reranker {
  readonly model: string;

  constructor(private readonly settings: HttpRerankerSettings) {
    this.model = settings.model;
  }

  async rerank(
    query: string,
    documents: readonly string[],
    topN: number,
    signal?: AbortSignal,
  ): Promise<RerankResult[]> {
    if (documents.length === 0) return [];
    const answer = await postJson<{ results?: unknown } | unknown[]>(
      `${this.settings.baseUrl.replace(/\/+$/, '')}/rerank`,
      { model: this.model, query, documents, top_n: topN },
      { ...this.settings, signal },
    );
    const entries = Array.isArray(answer) ? answer : (answer as { results?: unknown })?.results;
    if (!Array.isArray(entries)) {
      throw new ProviderError('the rerank provider returned no results list', 'malformed');
    }
    const results = entries.map((entry: ScoredEntry) => {
      const index = entry?.index;
      const score = entry?.relevance_score ?? entry?.score;
      if (
        typeof index !== 'number' ||
        !Number.isInteger(index) ||
        index < 0 ||
        index >= documents.length ||
        typeof score !== 'number' ||
        !Number.isFinite(score)
      ) {
        throw new ProviderError(
          'the rerank provider returned a result without a valid index and score',
          'malformed',
        );
      }
      return { index, score };
    });
    return results.sort((a, b) => b.score - a.score).slice(0, topN);
  }
}
