import { Action, PolicyHandler, subject } from '@strata/authz';

const onMembers =
  (action: Action): PolicyHandler =>
  (ability, context) =>
    ability.can(action, subject('Member', { tenantId: context?.tenantId }));

export const MemberPolicies = {
  list: onMembers('list'),
  create: onMembers('create'),
  read: onMembers('read'),
  update: onMembers('update'),
  delete: onMembers('delete'),
};
