import { type Action, inRequestTenant, type PolicyHandler, subject } from '@strata/authz';

/** The KB of the request (resolved into the context) checked with its id and tenant. */
const onThisKb =
  (action: Action): PolicyHandler =>
  (ability, context) =>
    ability.can(
      action,
      subject('KnowledgeBase', { id: context?.kbId ?? undefined, tenantId: context?.tenantId }),
    );

const inTenant = inRequestTenant('KnowledgeBase');

export const KnowledgeBasePolicies = {
  list: inTenant('list'),
  create: inTenant('create'),
  read: onThisKb('read'),
  update: onThisKb('update'),
  delete: onThisKb('delete'),
};
