import { validateInput } from '@strata/core';
import { QueryDto } from '@strata/query';
import { type ChatContent, contentText } from './chat-content';
import { chatQuestion } from './chat-question';

/**
 * A chat API's conversation as the query Strata answers, validated under the query route's own
 * rules (a question over 8,000 characters is refused the same way).
 */
export function chatQuery(
  messages: ReadonlyArray<{ role: string; content: ChatContent | null }>,
): Promise<QueryDto> {
  const question = chatQuestion(messages.map((m) => ({ role: m.role, content: contentText(m.content) })));
  return validateInput(QueryDto, {
    query: question.query,
    ...(question.mode !== null ? { mode: question.mode } : {}),
    ...(question.history.length > 0 ? { conversation_history: question.history } : {}),
  });
}
