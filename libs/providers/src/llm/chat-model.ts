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
  /**
   * The same answer streamed: each piece of text goes to `onDelta` as it arrives, and the whole
   * completion is returned at the end. Aborting `signal` closes the connection to the provider.
   */
  stream(
    messages: readonly ChatMessage[],
    onDelta: (text: string) => void,
    signal?: AbortSignal,
  ): Promise<ChatCompletion>;
}

/** Tokens of a text the provider did not count for us: about four characters a token. */
export const estimateTokens = (chars: number): number => Math.ceil(chars / 4);
