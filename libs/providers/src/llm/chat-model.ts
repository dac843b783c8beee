export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ChatCompletion {
  text: string;
  tokensIn: number;
  tokensOut: number;
}

/** A chat model behind an OpenAI-compatible `/chat/completions` endpoint. */
export interface ChatModel {
  readonly model: string;
  complete(messages: readonly ChatMessage[], signal?: AbortSignal): Promise<ChatCompletion>;
}
