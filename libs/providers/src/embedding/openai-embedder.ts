import { mapConcurrently, slices } from '@strata/core';
import { type EndpointSettings, postJson } from '../http/provider-http';
import { ProviderError } from '../http/provider-error';
import { estimateTokens } from '../llm/chat-model';
import type { Embedder } from './embedder';

export interface OpenAiEmbedderSettings extends EndpointSettings {
  batchSize: number;
  concurrency: number;
}

interface EmbeddingsAnswer {
  data?: Array<{ index?: number; embedding?: unknown }>;
  usage?: { prompt_tokens?: unknown; total_tokens?: unknown };
}

/**
 * An OpenAI-compatible `/embeddings` endpoint (OpenAI, Azure OpenAI, Ollama, vLLM, LM Studio,
 * text-embeddings-inference): texts go in batches, at most `concurrency` batches in flight.
 */
export class OpenAiEmbedder implements Embedder {
  readonly model: string;
  private knownDimension: number | null = null;

  constructor(private readonly settings: OpenAiEmbedderSettings) {
    this.model = settings.model;
  }

  get dimension(): number | null {
    return this.knownDimension;
  }

  async embed(
    texts: readonly string[],
    signal?: AbortSignal,
    onTokens?: (tokens: number) => void,
  ): Promise<number[][]> {
    const batches = [...slices(texts, this.settings.batchSize)];
    const results = await mapConcurrently(batches, this.settings.concurrency, (batch) =>
      this.embedBatch(batch, signal, onTokens),
    );
    return results.flat();
  }

  private async embedBatch(
    batch: string[],
    signal?: AbortSignal,
    onTokens?: (tokens: number) => void,
  ): Promise<number[][]> {
    const url = `${this.settings.baseUrl.replace(/\/+$/, '')}/embeddings`;
    const answer = await postJson<EmbeddingsAnswer>(
      url,
      { model: this.settings.model, input: batch },
      { ...this.settings, signal },
    );
    const data = Array.isArray(answer?.data) ? answer.data : null;
    if (data === null || data.length !== batch.length) {
      throw new ProviderError(
        `embedding provider returned ${data?.length ?? 'no'} vectors for ${batch.length} texts`,
        'malformed',
      );
    }
    const ordered = [...data].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
    const vectors = ordered.map(({ embedding }) => this.checkVector(embedding));
    onTokens?.(billedTokens(answer.usage, batch));
    return vectors;
  }

  private checkVector(value: unknown): number[] {
    if (
      !Array.isArray(value) ||
      value.length === 0 ||
      !value.every((v) => typeof v === 'number' && Number.isFinite(v))
    ) {
      throw new ProviderError(
        'embedding provider returned a vector that is not a list of numbers',
        'malformed',
      );
    }
    if (this.knownDimension === null) this.knownDimension = value.length;
    if (value.length !== this.knownDimension) {
      throw new ProviderError(
        `embedding provider returned vectors of ${value.length} and ${this.knownDimension} dimensions`,
        'malformed',
      );
    }
    return value as number[];
  }
}

/** The tokens a provider says a call took, or about four characters a token when it does not say. */
function billedTokens(usage: EmbeddingsAnswer['usage'], batch: readonly string[]): number {
  const told = usage?.prompt_tokens ?? usage?.total_tokens;
  if (typeof told === 'number' && Number.isFinite(told) && told >= 0) return Math.round(told);
  return estimateTokens(batch.reduce((sum, text) => sum + text.length, 0));
}
