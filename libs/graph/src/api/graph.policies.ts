import { Action, PolicyHandler, subject } from '@strata/authz';

/** Graph routes act on the request's KB: every member of the KB reads it, editors change it. */
const inThisKb =
  (action: Action): PolicyHandler =>
  (ability, context) =>
    ability.can(action, subject('Graph', { tenantId: context?.tenantId, kbId: context?.kbId ?? undefined }));

export const GraphPolicies = {
  read: inThisKb('read'),
  update: inThisKb('update'),
};
