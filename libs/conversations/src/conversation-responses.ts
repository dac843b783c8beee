import type { ConversationRow, TurnRow } from './conversations.repository';
import type { ConversationResponse, TurnResponse } from './dto/conversation.dto';

export const conversationResponse = (row: ConversationRow): ConversationResponse => ({
  id: row.id,
  title: row.title,
  knowledge_base_ids: row.kb_ids,
  created_at: new Date(row.created_at).toISOString(),
  updated_at: new Date(row.updated_at).toISOString(),
});

export const turnResponse = (row: TurnRow & { withheld: boolean }): Omit<TurnResponse, 'feedback'> => ({
  id: row.id,
  question: row.question,
  answer: row.answer,
  answer_source: row.answer_source,
  mode: row.mode,
  model: row.model,
  references: row.references,
  timings_ms: row.timings_ms,
  usage: row.usage,
  withheld: row.withheld,
  created_at: new Date(row.created_at).toISOString(),
});
