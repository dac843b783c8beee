import { ErrorCode, NotFound } from '@strata/core';
import type { TenantContext } from '@strata/tenancy';
import type { ConversationOwner, ConversationReader } from './conversations.repository';

export const conversationNotFound = (): NotFound =>
  new NotFound(ErrorCode.CONVERSATION_NOT_FOUND, 'Conversation not found');

/** The caller as a conversation owner: a person or an API key (jobs have no conversations). */
export function ownerOf(context: TenantContext): ConversationOwner {
  const { principal } = context;
  if (principal.type === 'system') throw new Error('a job has no conversations');
  return { type: principal.type, id: principal.id };
}

export const readerOf = (context: TenantContext): ConversationReader => ({
  owner: ownerOf(context),
  kbIds: context.kbIds,
});
