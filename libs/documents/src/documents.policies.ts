import { Action, PolicyHandler, subject } from '@strata/authz';

/** Document routes act on the request's KB: the rule is checked with its tenant and KB ids. */
const inThisKb =
  (action: Action): PolicyHandler =>
  (ability, context) =>
    ability.can(
      action,
      subject('Document', { tenantId: context?.tenantId, kbId: context?.kbId ?? undefined }),
    );

export const DocumentPolicies = {
  list: inThisKb('list'),
  read: inThisKb('read'),
  create: inThisKb('create'),
  update: inThisKb('update'),
  reindex: inThisKb('update'),
  delete: inThisKb('delete'),
};
