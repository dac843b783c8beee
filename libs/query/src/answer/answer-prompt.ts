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
export function answerPrompt(request: {
  question: string;
  context: string;
  history: readonly HistoryMessage[];
  responseType: string;
}): ChatMessage[] {
  return [
    { role: 'system', content: `${SYSTEM}\nShape the answer as: ${request.responseType}.` },
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
}): ChatMessage[] {
  return [
    ...(request.responseType
      ? [{ role: 'system' as const, content: `Shape the answer as: ${request.responseType}.` }]
      : []),
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
