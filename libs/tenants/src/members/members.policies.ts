import { inRequestTenant } from '@strata/authz';

const onMembers = inRequestTenant('Member');

export const MemberPolicies = {
  list: onMembers('list'),
  create: onMembers('create'),
  read: onMembers('read'),
  update: onMembers('update'),
  delete: onMembers('delete'),
};
