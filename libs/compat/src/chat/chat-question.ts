import { BadRequest, ErrorCode } from '@strata/core';
import { QUERY_MODES, type QueryMode } from '@strata/knowledge-bases';

/** One message of a chat API's conversation, its content already reduced to text. */
export interface ChatTurn {
  role: string;
  content: string;
}

/** What a chat conversation asks of a KB: the question, the mode it chose, what came before. */
export interface ChatQuestion {
  query: string;
  /** Chosen by a `/mode` prefix on the question; null: the KB's default mode. */
  mode: QueryMode | null;
  history: Array<{ role: 'user' | 'assistant'; content: string }>;
}

const MODE_PREFIX = new RegExp(`^/(${QUERY_MODES.join('|')})(?=\\s|$)\\s*`, 'i');

/** The `/mode` a message starts with (LightRAG's convention: `/local who founded it?`), and the rest. */
export function splitModePrefix(text: string): { mode: QueryMode | null; text: string } {
  const trimmed = text.trimStart();
  const match = MODE_PREFIX.exec(trimmed);
  if (match === null) return { mode: null, text };
  return { mode: match[1].toLowerCase() as QueryMode, text: trimmed.slice(match[0].length) };
}

/**
 * Reads a chat API's conversation as a KB question: the last message, which must be the user's,
 * is the question (a `/mode` prefix chooses the query mode); the user and assistant messages
 * before it are the conversation history (their own prefixes dropped). System and tool messages
 * are not passed on: the KB's answer prompt is the one that holds.
 */
export function chatQuestion(messages: readonly ChatTurn[]): ChatQuestion {
  const last = messages.at(-1);
  if (last === undefined || last.role !== 'user') {
    throw new BadRequest(ErrorCode.VALIDATION_FAILED, "The last message must be the user's question");
  }
  const { mode, text } = splitModePrefix(last.content);
  const query = text.trim();
  if (query === '') {
    throw new BadRequest(ErrorCode.VALIDATION_FAILED, "The user's question is empty");
  }
  const history = messages
    .slice(0, -1)
    .filter(
      (m): m is ChatTurn & { role: 'user' | 'assistant' } => m.role === 'user' || m.role === 'assistant',
    )
    .map((m) => ({ role: m.role, content: m.role === 'user' ? splitModePrefix(m.content).text : m.content }))
    .filter((m) => m.content.trim() !== '');
  return { query, mode, history };
}
