import type { ChatMessage } from '@strata/providers';

const SYSTEM = [
  'You answer questions using only the numbered context passages you are given.',
  'Cite every statement with the number of the passage it comes from, like [1] or [2][3].',
  'If the context does not contain the answer, say that you do not know; never invent facts.',
].join(' ');

/** The messages that ask the model to answer from the context and cite it. */
export function answerPrompt(question: string, context: string): ChatMessage[] {
  return [
    { role: 'system', content: SYSTEM },
    { role: 'user', content: `Context:\n${context || '(no passages)'}\n\nQuestion: ${question}` },
  ];
}

/** bypass mode: the question alone, straight to the model. */
export function bypassPrompt(question: string): ChatMessage[] {
  return [{ role: 'user', content: question }];
}

/** The prompt as one text, for only_need_prompt. */
export const promptText = (messages: readonly ChatMessage[]): string =>
  messages.map((m) => `${m.role.toUpperCase()}:\n${m.content}`).join('\n\n');
