import type { QueryResponse } from '@strata/query';
import type { NewTurn } from './conversations.repository';

/** The title of a conversation created without one, until its first question names it. */
export const UNTITLED = 'New conversation';
const TITLE_FROM_QUESTION = 80;

/** Stored exchanges, newest first (as read), as the history messages of the next question, oldest first. */
export function historyOf(
  exchanges: ReadonlyArray<{ question: string; answer: string }>,
): Array<{ role: 'user' | 'assistant'; content: string }> {
  return [...exchanges].reverse().flatMap(({ question, answer }) => [
    { role: 'user' as const, content: question },
    { role: 'assistant' as const, content: answer },
  ]);
}

/** A title from a question: its first line, cut at a word within 80 characters. */
export function titleFrom(question: string): string {
  const line = question.trim().split('\n')[0].replace(/\s+/g, ' ');
  if (line.length <= TITLE_FROM_QUESTION) return line || UNTITLED;
  const cut = line.slice(0, TITLE_FROM_QUESTION);
  const space = cut.lastIndexOf(' ');
  return `${(space > TITLE_FROM_QUESTION / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/**
 * The turn an answer becomes. A tenant that keeps no query text keeps no question, no answer and
 * no reference snippet (chunk text shown beside the question); the rest is kept, so the answer can
 * still be rated and counted.
 */
export function turnOf(
  ids: { id: string; conversationId: string },
  question: string,
  answer: QueryResponse,
  model: string | null,
  keepText: boolean,
): NewTurn {
  return {
    id: ids.id,
    conversation_id: ids.conversationId,
    question: keepText ? question : null,
    answer: keepText ? answer.answer : null,
    answer_source: answer.answer_source,
    mode: answer.mode,
    model: answer.answer_source === 'llm' ? model : null,
    references: answer.references.map(({ snippet, ...rest }) => (keepText ? { ...rest, snippet } : rest)),
    timings_ms: answer.timings_ms,
    usage: answer.usage,
  };
}
