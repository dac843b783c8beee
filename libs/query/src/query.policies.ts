import { PolicyHandler, subject } from '@strata/authz';

/** Querying a KB needs `run_queries` in a KB the caller is assigned to. */
export const QueryPolicies: { run: PolicyHandler } = {
  run: (ability, context) =>
    ability.can(
      'create',
      subject('Query', { tenantId: context?.tenantId, kbId: context?.kbId ?? undefined }),
    ),
};
