import { mapConcurrently, slices } from '@strata/core';
import { type EndpointSettings, postJson } from '../http/provider-http';
import { ProviderError } from '../http/provider-error';
import type { Embedder } from './embedder';

export interface OpenAiEmbedderSettings extends EndpointSettings {
  batchSize: number;
  concurrency: number;
}

interface EmbeddingsAnswer {
  data?: Array<{ index?: number; embedding?: unknown }>;
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

  async embed(texts: readonly string[], signal?: AbortSignal): Promise<number[][]> {
    const batches = [...slices(texts, this.settings.batchSize)];
    const results = await mapConcurrently(batches, this.settings.concurrency, (batch) =>
      this.embedBatch(batch, signal),
    );
    return results.flat();
  }

  private async embedBatch(batch: string[], signal?: AbortSignal): Promise<number[][]> {
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
    return ordered.map(({ embedding }) => this.checkVector(embedding));
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
