import { type EndpointSettings, postEventStream, postJson } from '../http/provider-http';
import { ProviderError } from '../http/provider-error';
import { type ChatCompletion, type ChatMessage, type ChatModel, estimateTokens } from './chat-model';

export type OpenAiChatSettings = EndpointSettings;

interface TokenUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
}

interface CompletionAnswer {
  choices?: Array<{ message?: { content?: unknown } }>;
  usage?: TokenUsage;
}

interface CompletionChunk {
  choices?: Array<{ delta?: { content?: unknown } }>;
  usage?: TokenUsage | null;
}

const TEMPERATURE = 0.1;

/** OpenAI-compatible chat completions (OpenAI, Azure OpenAI, Ollama, vLLM, LM Studio), with retries. */
export class OpenAiChatModel implements ChatModel {
  readonly model: string;

  constructor(private readonly settings: OpenAiChatSettings) {
    this.model = settings.model;
  }

  async complete(messages: readonly ChatMessage[], signal?: AbortSignal): Promise<ChatCompletion> {
    const answer = await postJson<CompletionAnswer>(
      this.url,
      { model: this.model, messages, temperature: TEMPERATURE },
      { ...this.settings, signal },
    );
    const text = answer?.choices?.[0]?.message?.content;
    if (typeof text !== 'string') {
      throw new ProviderError('the language model returned no message content', 'malformed');
    }
    return { text, ...tokensOf(answer.usage, messages, text) };
  }

  async stream(
    messages: readonly ChatMessage[],
    onDelta: (text: string) => void,
    signal?: AbortSignal,
  ): Promise<ChatCompletion> {
    let text = '';
    let usage: TokenUsage | undefined;
    let done = false;
    await postEventStream(
      this.url,
      {
        model: this.model,
        messages,
        temperature: TEMPERATURE,
        stream: true,
        stream_options: { include_usage: true },
      },
      { ...this.settings, signal },
      (data) => {
        if (data.trim() === '[DONE]') {
          done = true;
          return;
        }
        let chunk: CompletionChunk;
        try {
          chunk = JSON.parse(data) as CompletionChunk;
        } catch {
          throw new ProviderError('the language model streamed a part that is not JSON', 'malformed');
        }
        if (chunk.usage) usage = chunk.usage;
        const delta = chunk.choices?.[0]?.delta?.content;
        if (typeof delta === 'string' && delta.length > 0) {
          text += delta;
          onDelta(delta);
        }
      },
    );
    if (!done && text.length === 0) {
      throw new ProviderError('the language model ended its stream without an answer', 'malformed');
    }
    return { text, ...tokensOf(usage, messages, text) };
  }

  private get url(): string {
    return `${this.settings.baseUrl.replace(/\/+$/, '')}/chat/completions`;
  }
}

/**
 * The provider's token counts; a provider that reports none (some local servers do not, above all
 * when streaming) gets an estimate of four characters a token, so usage is never silently zero.
 */
function tokensOf(usage: TokenUsage | null | undefined, messages: readonly ChatMessage[], text: string) {
  return {
    tokensIn:
      Number(usage?.prompt_tokens ?? 0) ||
      estimateTokens(messages.reduce((sum, m) => sum + m.content.length, 0)),
    tokensOut: Number(usage?.completion_tokens ?? 0) || estimateTokens(text.length),
  };
}
