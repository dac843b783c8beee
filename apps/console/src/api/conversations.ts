import { api } from './client';
import type { Conversation, ConversationDetail, Feedback, Page, Rating, RatedAnswer } from './types';

/** The signed-in user's conversations and their answers' ratings (see /docs, conversations). */
export const conversationsPath = (tenantId: string) => `/tenants/${tenantId}/conversations`;

export const listConversations = (tenantId: string) =>
  api.get<Page<Conversation>>(`${conversationsPath(tenantId)}?limit=100`);

export const readConversation = (tenantId: string, id: string) =>
  api.get<ConversationDetail>(`${conversationsPath(tenantId)}/${id}`);

export const startConversation = (tenantId: string, knowledgeBaseIds: string[]) =>
  api.post<ConversationDetail>(conversationsPath(tenantId), { knowledge_base_ids: knowledgeBaseIds });

export const renameConversation = (tenantId: string, id: string, title: string) =>
  api.patch<Conversation>(`${conversationsPath(tenantId)}/${id}`, { title });

export const deleteConversation = (tenantId: string, id: string) =>
  api.delete<void>(`${conversationsPath(tenantId)}/${id}`);

const feedbackPath = (tenantId: string, conversationId: string, turnId: string) =>
  `${conversationsPath(tenantId)}/${conversationId}/turns/${turnId}/feedback`;

export const rateAnswer = (
  tenantId: string,
  conversationId: string,
  turnId: string,
  rating: { rating: Rating; comment?: string; reference_id?: number },
) => api.put<Feedback>(feedbackPath(tenantId, conversationId, turnId), rating);

export const unrateAnswer = (tenantId: string, conversationId: string, turnId: string) =>
  api.delete<void>(feedbackPath(tenantId, conversationId, turnId));

export const listFeedback = (tenantId: string, kbId: string, rating: Rating | null, cursor: string | null) =>
  api.get<Page<RatedAnswer>>(
    `/tenants/${tenantId}/knowledge-bases/${kbId}/feedback?limit=50${rating ? `&rating=${rating}` : ''}${
      cursor ? `&cursor=${cursor}` : ''
    }`,
  );
