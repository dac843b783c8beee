import { Action, PolicyHandler, subject } from '@strata/authz';

const onInvitations =
  (action: Action): PolicyHandler =>
  (ability, context) =>
    ability.can(action, subject('Invitation', { tenantId: context?.tenantId }));

export const InvitationPolicies = {
  list: onInvitations('list'),
  create: onInvitations('create'),
  read: onInvitations('read'),
  delete: onInvitations('delete'),
};
