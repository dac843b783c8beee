import { Injectable } from '@nestjs/common';
import { AppConfig } from '@strata/core';
import { type EndpointOverrides, resolveEndpoint } from '../http/endpoint-layers';
import { ProviderEgress } from '../http/provider-egress';
import { HttpReranker } from './http-reranker';
import type { Reranker } from './reranker';

const DEFAULT_MODEL = 'rerank-v3.5';

/** Builds the reranker for a call from layers over `RERANK_*`; null when no endpoint is set. */
@Injectable()
export class RerankerFactory {
  constructor(
    private readonly config: AppConfig,
    private readonly egress: ProviderEgress,
  ) {}

  create(...overrides: Array<EndpointOverrides | null | undefined>): Reranker | null {
    const endpoint = resolveEndpoint(this.config.rerank, overrides);
    const { baseUrl, model, apiKey, timeoutMs } = endpoint;
    if (baseUrl === null) return null;
    return new HttpReranker({
      baseUrl,
      model: model ?? DEFAULT_MODEL,
      apiKey,
      timeoutMs,
      maxRetries: this.config.rerank.maxRetries,
      egress: this.egress.for(endpoint),
    });
  }
}
