import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  type ChatCompletion,
  type ChatMessage,
  type ChatModel,
  type Embedder,
  estimateTokens,
} from '@strata/providers';
import type { KbScope } from '@strata/tenancy';
import { type TokenPurpose, TokenUsageRepository } from './token-usage.repository';

type LlmPurpose = Exclude<TokenPurpose, 'embedding'>;

/**
 * Counts the tokens that cost money where they are spent: a KB's LLM and embedder, wrapped so
 * that every call adds what it took to the KB's row for today (by purpose and model) and to the
 * tenant's daily totals the token quotas are checked against.
 */
@Injectable()
export class TokenMeter {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The LLM, each completion counted for `purpose` in the KB. */
  chatModel(scope: KbScope, purpose: LlmPurpose, llm: ChatModel): ChatModel {
    return meteredChatModel(llm, (tokens) =>
      TokenUsageRepository.add(this.dataSource, scope, { purpose, model: llm.model, ...tokens }),
    );
  }

  /** The embedder, each provider call counted as the KB's embedding tokens (the embedded one costs none). */
  embedder(scope: KbScope, embedder: Embedder): Embedder {
    return meteredEmbedder(embedder, (tokens) =>
      TokenUsageRepository.add(this.dataSource, scope, {
        purpose: 'embedding',
        model: embedder.model,
        tokensIn: tokens,
        tokensOut: 0,
      }),
    );
  }
}

type CountTokens = (tokens: { tokensIn: number; tokensOut: number }) => Promise<void>;

/**
 * An LLM whose completions are counted before they are handed back. A stream that fails or is
 * abandoned part way still cost tokens: what was sent, and what came back, are estimated.
 */
export function meteredChatModel(llm: ChatModel, count: CountTokens): ChatModel {
  return {
    model: llm.model,
    async complete(messages, signal) {
      const completion = await llm.complete(messages, signal);
      await count(completion);
      return completion;
    },
    async stream(messages, onDelta, signal): Promise<ChatCompletion> {
      let received = 0;
      try {
        const completion = await llm.stream(
          messages,
          (text) => {
            received += text.length;
            onDelta(text);
          },
          signal,
        );
        await count(completion);
        return completion;
      } catch (error) {
        if (received > 0 || signal?.aborted) {
          await count({
            tokensIn: estimateTokens(promptChars(messages)),
            tokensOut: estimateTokens(received),
          });
        }
        throw error;
      }
    },
  };
}

/** An embedder whose provider calls are counted once the vectors are back. */
export function meteredEmbedder(embedder: Embedder, count: (tokens: number) => Promise<void>): Embedder {
  return {
    model: embedder.model,
    get dimension() {
      return embedder.dimension;
    },
    async embed(texts, signal, onTokens) {
      let tokens = 0;
      const vectors = await embedder.embed(texts, signal, (n) => {
        tokens += n;
        onTokens?.(n);
      });
      if (tokens > 0) await count(tokens);
      return vectors;
    },
  };
}

const promptChars = (messages: readonly ChatMessage[]) =>
  messages.reduce((sum, message) => sum + message.content.length, 0);
