import { Injectable } from '@nestjs/common';
import { EmbedderFactory, NoEmbeddingEndpoint } from '../embedding/embedder-factory';
import { LexicalEmbedder } from '../embedding/lexical-embedder';
import type { EndpointOverrides } from '../http/endpoint-layers';
import { ProviderError } from '../http/provider-error';
import { ChatModelFactory } from '../llm/chat-model-factory';
import { RerankerFactory } from '../rerank/reranker-factory';

export const CHECKABLE_PROVIDERS = ['llm', 'embedding', 'rerank'] as const;
export type CheckableProvider = (typeof CHECKABLE_PROVIDERS)[number];

/** What one real call to a provider showed. */
export interface ProviderCheckResult {
  provider: CheckableProvider;
  /** false: nothing is configured, so the embedded default (or no rerank) is used. */
  configured: boolean;
  ok: boolean;
  model: string | null;
  latency_ms: number | null;
  /** What worked (the reply, the dimension) or what failed, in words without credentials. */
  detail: string;
  /** ProviderError's kind when the call failed: timeout, rate_limited, unavailable, rejected, … */
  failure: string | null;
}

/**
 * Makes one small real call to a provider as a tenant's settings (over the environment's) resolve
 * it, and reports the outcome: the console's "test connection". The call goes through the same
 * egress guard, timeout and retries as real work.
 */
@Injectable()
export class ProviderCheck {
  constructor(
    private readonly chatModels: ChatModelFactory,
    private readonly embedders: EmbedderFactory,
    private readonly rerankers: RerankerFactory,
  ) {}

  async check(provider: CheckableProvider, settings: EndpointOverrides | null): Promise<ProviderCheckResult> {
    const started = performance.now();
    const outcome = (ok: boolean, model: string | null, detail: string, failure: string | null = null) => ({
      provider,
      configured: true,
      ok,
      model,
      latency_ms: Math.round(performance.now() - started),
      detail,
      failure,
    });
    const unset = (detail: string): ProviderCheckResult => ({
      provider,
      configured: false,
      ok: true,
      model: null,
      latency_ms: null,
      detail,
      failure: null,
    });
    let model: string | null = null;
    try {
      switch (provider) {
        case 'llm': {
          const llm = this.chatModels.create(settings);
          if (llm === null) return unset('no LLM endpoint is set: answers are extracted from the documents');
          model = llm.model;
          const reply = await llm.complete([{ role: 'user', content: 'Reply with the single word: ready' }]);
          return outcome(
            true,
            model,
            `the model answered: ${reply.text.trim().slice(0, 80) || '(an empty reply)'}`,
          );
        }
        case 'embedding': {
          const embedder = this.embedders.create(settings);
          if (embedder instanceof LexicalEmbedder)
            return unset(`no embedding endpoint is set: the embedded ${embedder.model} embedder is used`);
          model = embedder.model;
          const [vector] = await embedder.embed(['connection test']);
          return outcome(true, model, `a vector of ${vector.length} dimensions came back`);
        }
        case 'rerank': {
          const reranker = this.rerankers.create(settings);
          if (reranker === null) return unset('no rerank endpoint is set: results keep their fused order');
          model = reranker.model;
          const results = await reranker.rerank('which is a colour?', ['blue', 'seven'], 2);
          return outcome(true, model, `${results.length} documents came back ranked`);
        }
      }
    } catch (error) {
      if (error instanceof ProviderError) return outcome(false, model, error.message, error.kind);
      // A model named with no endpoint to serve it: the tenant's settings to fix, too.
      if (error instanceof NoEmbeddingEndpoint)
        return outcome(false, model, error.message, 'invalid_settings');
      throw error;
    }
  }
}
