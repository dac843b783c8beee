import type { PolicyHandler } from '@strata/authz';

/** Accounts are deployment-wide: only platform admins list and change them. */
export const AccountsPolicies = {
  list: ((ability) => ability.can('list', 'Account')) as PolicyHandler,
  update: ((ability) => ability.can('update', 'Account')) as PolicyHandler,
};
