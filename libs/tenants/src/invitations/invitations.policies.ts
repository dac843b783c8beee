import { inRequestTenant } from '@strata/authz';

const onInvitations = inRequestTenant('Invitation');

export const InvitationPolicies = {
  list: onInvitations('list'),
  create: onInvitations('create'),
  read: onInvitations('read'),
  delete: onInvitations('delete'),
};
