import { randomUUID } from 'node:crypto';
import type { QueryReference, QueryResponse } from '@strata/query';

/** What every object of one completion shares. */
export interface CompletionIdentity {
  id: string;
  created: number;
  model: string;
}

/**
 * Strata's extension to OpenAI's objects: how the KB answered and from what. In a stream, the
 * first chunk carries `mode` and `references`, the last `answer_source` and `warnings`.
 */
export interface StrataExtension {
  mode?: string;
  references?: QueryReference[];
  answer_source?: string | null;
  warnings?: string[];
}

export interface CompletionUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export const completionIdentity = (model: string, now = Date.now()): CompletionIdentity => ({
  id: `chatcmpl-${randomUUID().replace(/-/g, '')}`,
  created: Math.floor(now / 1000),
  model,
});

/** The LLM tokens the query spent (keyword extraction included): zero for an extractive answer. */
export function completionUsage(usage: Record<string, number>): CompletionUsage {
  const prompt = usage.llm_tokens_in ?? 0;
  const completion = usage.llm_tokens_out ?? 0;
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

/** A whole answer as a `chat.completion`. */
export function chatCompletion(identity: CompletionIdentity, response: QueryResponse) {
  return {
    ...identity,
    object: 'chat.completion' as const,
    choices: [
      {
        index: 0,
        message: { role: 'assistant' as const, content: response.answer ?? '', refusal: null },
        logprobs: null,
        finish_reason: 'stop' as const,
      },
    ],
    usage: completionUsage(response.usage),
    strata: {
      mode: response.mode,
      references: response.references,
      answer_source: response.answer_source,
      warnings: response.warnings,
    } satisfies StrataExtension,
  };
}

/** One `chat.completion.chunk` of a stream: a piece of the answer, or its end with `finish`. */
export function completionChunk(
  identity: CompletionIdentity,
  delta: { role?: 'assistant'; content?: string },
  finish: 'stop' | null = null,
  strata?: StrataExtension,
) {
  return {
    ...identity,
    object: 'chat.completion.chunk' as const,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    ...(strata ? { strata } : {}),
  };
}

/** The closing chunk of a stream asked with `stream_options.include_usage`: usage and no choices. */
export const usageChunk = (identity: CompletionIdentity, usage: Record<string, number>) => ({
  ...identity,
  object: 'chat.completion.chunk' as const,
  choices: [],
  usage: completionUsage(usage),
});
