import { inRequestTenant } from '@strata/authz';

const onGroups = inRequestTenant('Group');

export const GroupPolicies = {
  list: onGroups('list'),
  create: onGroups('create'),
  read: onGroups('read'),
  update: onGroups('update'),
  delete: onGroups('delete'),
};
