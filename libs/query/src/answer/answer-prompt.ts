import type { ChatMessage } from '@strata/providers';

export interface HistoryMessage {
  role: 'user' | 'assistant';
  content: string;
}

const SYSTEM = [
  'You answer questions using only the numbered context passages you are given.',
  'Cite every statement with the number of the passage it comes from, like [1] or [2][3].',
  'If the context does not contain the answer, say that you do not know; never invent facts.',
  'Earlier turns of the conversation, if any, only tell you what the question refers to.',
].join(' ');

/** The messages that ask the model to answer from the context and cite it. */
/** The caller's extra instructions (LightRAG's user_prompt), after the rules that keep answers grounded. */
const instructionsLine = (instructions: string | null | undefined) =>
  instructions ? `\nAdditional instructions: ${instructions}` : '';

export function answerPrompt(request: {
  question: string;
  context: string;
  history: readonly HistoryMessage[];
  responseType: string;
  instructions?: string | null;
}): ChatMessage[] {
  return [
    {
      role: 'system',
      content: `${SYSTEM}\nShape the answer as: ${request.responseType}.${instructionsLine(request.instructions)}`,
    },
    ...request.history,
    {
      role: 'user',
      content: `Context:\n${request.context || '(no passages)'}\n\nQuestion: ${request.question}`,
    },
  ];
}

/** bypass mode: the conversation and the question, straight to the model. */
export function bypassPrompt(request: {
  question: string;
  history: readonly HistoryMessage[];
  responseType: string | null;
  instructions?: string | null;
}): ChatMessage[] {
  const system = [
    ...(request.responseType ? [`Shape the answer as: ${request.responseType}.`] : []),
    ...(request.instructions ? [`Additional instructions: ${request.instructions}`] : []),
  ].join('\n');
  return [
    ...(system ? [{ role: 'system' as const, content: system }] : []),
    ...request.history,
    { role: 'user', content: request.question },
  ];
}

/** The prompt as one text, for only_need_prompt. */
export const promptText = (messages: readonly ChatMessage[]): string =>
  messages.map((m) => `${m.role.toUpperCase()}:\n${m.content}`).join('\n\n');

/**
 * The most recent turns of a conversation whose tokens fit `budget`, in their order; older turns
 * are dropped first, and a turn that does not fit whole is dropped rather than cut.
 */
export function recentHistory(
  history: readonly HistoryMessage[],
  budget: number,
  countTokens: (text: string) => number,
): HistoryMessage[] {
  const kept: HistoryMessage[] = [];
  let used = 0;
  for (let i = history.length - 1; i >= 0; i--) {
    const tokens = countTokens(history[i].content);
    if (used + tokens > budget) break;
    used += tokens;
    kept.unshift(history[i]);
  }
  return kept;
}
