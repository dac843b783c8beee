import { Injectable } from '@nestjs/common';
import { AppConfig } from '@strata/core';
import { type EndpointOverrides, resolveEndpoint } from '../http/endpoint-layers';
import { ProviderEgress } from '../http/provider-egress';
import type { ChatModel } from './chat-model';
import { OpenAiChatModel } from './openai-chat-model';

/** LLM settings a tenant (or KB) sets over the environment's; unset fields inherit. */
export type LlmOverrides = EndpointOverrides;

const DEFAULT_MODEL = 'gpt-4o-mini';

/**
 * Builds the chat model for a call from layers over `LLM_*` (tenant config, then the KB's model);
 * null when no endpoint is set anywhere.
 */
@Injectable()
export class ChatModelFactory {
  constructor(
    private readonly config: AppConfig,
    private readonly egress: ProviderEgress,
  ) {}

  create(...overrides: Array<LlmOverrides | null | undefined>): ChatModel | null {
    const endpoint = resolveEndpoint(this.config.llm, overrides);
    const { baseUrl, model, apiKey, timeoutMs } = endpoint;
    if (baseUrl === null) return null;
    return new OpenAiChatModel({
      baseUrl,
      model: model ?? DEFAULT_MODEL,
      apiKey,
      timeoutMs,
      maxRetries: this.config.llm.maxRetries,
      egress: this.egress.for(endpoint),
    });
  }

  /** A KB's chat model: the tenant's endpoint with the KB's own model when it names one. */
  forKnowledgeBase(tenantLlm: LlmOverrides | null, kbModel: string | null): ChatModel | null {
    return this.create(tenantLlm, kbModel ? { model: kbModel } : null);
  }
}
