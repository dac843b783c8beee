import { PolicyHandler, subject } from '@strata/authz';

export const QueryPolicies: { run: PolicyHandler; runAcross: PolicyHandler } = {
  /** Querying a KB needs `run_queries` in a KB the caller is assigned to. */
  run: (ability, context) =>
    ability.can(
      'create',
      subject('Query', { tenantId: context?.tenantId, kbId: context?.kbId ?? undefined }),
    ),
  /**
   * Querying across KBs needs `run_queries` in the tenant; each KB named must be one the caller is
   * assigned to (KnowledgeBaseSet answers 404 for the others).
   */
  runAcross: (ability) => ability.can('create', 'Query'),
};
