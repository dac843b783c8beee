import { Injectable } from '@nestjs/common';
import { AppConfig } from '@strata/core';
import type { ChatModel } from './chat-model';
import { OpenAiChatModel } from './openai-chat-model';

/** LLM settings a tenant sets over the environment's; unset fields inherit. */
export interface LlmOverrides {
  base_url?: string | null;
  model?: string | null;
  api_key?: string | null;
  timeout_ms?: number | null;
}

/** Builds the chat model of a tenant: its settings over `LLM_*`; null when no endpoint is set anywhere. */
@Injectable()
export class ChatModelFactory {
  constructor(private readonly config: AppConfig) {}

  create(overrides?: LlmOverrides | null): ChatModel | null {
    const env = this.config.llm;
    let { baseUrl, model, apiKey, timeoutMs } = env;
    if (overrides?.base_url) {
      // Another endpoint does not inherit the environment's credentials or model.
      if (overrides.base_url !== baseUrl) {
        apiKey = null;
        model = null;
      }
      baseUrl = overrides.base_url;
    }
    if (overrides?.model) model = overrides.model;
    if (overrides?.api_key) apiKey = overrides.api_key;
    if (overrides?.timeout_ms) timeoutMs = overrides.timeout_ms;
    if (baseUrl === null) return null;
    return new OpenAiChatModel({
      baseUrl,
      model: model ?? 'gpt-4o-mini',
      apiKey,
      timeoutMs,
      maxRetries: env.maxRetries,
    });
  }
}
