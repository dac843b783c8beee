import { Injectable } from '@nestjs/common';
import { AppConfig } from '@strata/core';
import { type EndpointOverrides, resolveEndpoint } from '../http/endpoint-layers';
import { ProviderEgress } from '../http/provider-egress';
import type { Embedder } from './embedder';
import { LEXICAL_MODEL, LexicalEmbedder } from './lexical-embedder';
import { OpenAiEmbedder } from './openai-embedder';

/** Embedding settings a tenant (or KB) sets over the environment's; unset fields inherit. */
export type EmbeddingOverrides = EndpointOverrides;

/** A model was asked for, and no endpoint to serve it is configured. */
export class NoEmbeddingEndpoint extends Error {
  constructor(model: string) {
    super(
      `the embedding model ${model} needs an embedding endpoint: set the tenant's embedding.base_url ` +
        `(or EMBEDDING_BASE_URL), or set the knowledge base's embedding.model to ${LEXICAL_MODEL}`,
    );
    this.name = 'NoEmbeddingEndpoint';
  }
}

/**
 * Builds the embedder for a tenant or KB from layers over the environment's `EMBEDDING_*` (tenant
 * config, then the KB's model). The lexical model, or no base URL and no model anywhere, gives
 * the embedded lexical embedder.
 */
@Injectable()
export class EmbedderFactory {
  private readonly lexical = new LexicalEmbedder();

  constructor(
    private readonly config: AppConfig,
    private readonly egress: ProviderEgress,
  ) {}

  create(...overrides: Array<EmbeddingOverrides | null | undefined>): Embedder {
    const env = this.config.embedding;
    const endpoint = resolveEndpoint(env, overrides);
    const { baseUrl, model, apiKey, timeoutMs } = endpoint;
    if (model === LEXICAL_MODEL) return this.lexical;
    if (baseUrl === null) {
      // A model named only by the environment's defaults never reaches here (it needs a base URL).
      if (model !== null && model !== env.model) throw new NoEmbeddingEndpoint(model);
      return this.lexical;
    }
    return new OpenAiEmbedder({
      baseUrl,
      model: model ?? 'text-embedding-3-small',
      apiKey,
      batchSize: env.batchSize,
      concurrency: env.concurrency,
      timeoutMs,
      maxRetries: env.maxRetries,
      egress: this.egress.for(endpoint),
    });
  }
}
