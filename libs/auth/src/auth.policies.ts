import type { PolicyHandler } from '@strata/authz';

export const AccountPolicies = {
  /** Clearing an account's failed logins: platform admins only (accounts span tenants). */
  unlock: ((ability) => ability.can('update', 'Account')) as PolicyHandler,
};
