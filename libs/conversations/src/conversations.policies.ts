import { PolicyHandler, subject } from '@strata/authz';

const inTenant =
  (action: 'list' | 'create' | 'read' | 'update' | 'delete' | 'export'): PolicyHandler =>
  (ability, context) =>
    ability.can(action, subject('Conversation', { tenantId: context?.tenantId }));

/**
 * Conversations need `run_queries` (the service keeps each to its owner and to the KBs they are
 * assigned to); exporting every member's needs a tenant admin.
 */
export const ConversationPolicies = {
  list: inTenant('list'),
  create: inTenant('create'),
  read: inTenant('read'),
  update: inTenant('update'),
  delete: inTenant('delete'),
  export: inTenant('export'),
};
