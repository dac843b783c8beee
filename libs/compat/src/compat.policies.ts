import { PolicyHandler } from '@strata/authz';

/**
 * The chat APIs' tenant-level routes: the caller may query some KB of the tenant. Which KB is
 * checked once the request names it (KnowledgeBaseModels.open), with the query route's own policy.
 */
export const CompatPolicies: { chat: PolicyHandler } = {
  chat: (ability) => ability.can('create', 'Query'),
};
