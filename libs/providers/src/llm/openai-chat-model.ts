import { postJson } from '../http/provider-http';
import { ProviderError } from '../http/provider-error';
import type { ChatCompletion, ChatMessage, ChatModel } from './chat-model';

export interface OpenAiChatSettings {
  baseUrl: string;
  model: string;
  apiKey: string | null;
  timeoutMs: number;
  maxRetries: number;
  backoffMs?: number;
}

interface CompletionAnswer {
  choices?: Array<{ message?: { content?: unknown } }>;
  usage?: { prompt_tokens?: number; completion_tokens?: number };
}

/** OpenAI-compatible chat completions (OpenAI, Azure OpenAI, Ollama, vLLM, LM Studio), with retries. */
export class OpenAiChatModel implements ChatModel {
  readonly model: string;

  constructor(private readonly settings: OpenAiChatSettings) {
    this.model = settings.model;
  }

  async complete(messages: readonly ChatMessage[], signal?: AbortSignal): Promise<ChatCompletion> {
    const answer = await postJson<CompletionAnswer>(
      `${this.settings.baseUrl.replace(/\/+$/, '')}/chat/completions`,
      { model: this.settings.model, messages, temperature: 0.1 },
      { ...this.settings, signal },
    );
    const text = answer?.choices?.[0]?.message?.content;
    if (typeof text !== 'string') {
      throw new ProviderError('the language model returned no message content', null, false);
    }
    return {
      text,
      tokensIn: Number(answer.usage?.prompt_tokens ?? 0) || 0,
      tokensOut: Number(answer.usage?.completion_tokens ?? 0) || 0,
    };
  }
}
