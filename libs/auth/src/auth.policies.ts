import type { PolicyHandler } from '@strata/authz';

export const AccountPolicies = {
  /** Clearing an account's failed logins: platform admins only (accounts span tenants). */
  unlock: ((ability) => ability.can('update', 'Account')) as PolicyHandler,
  /** One's own password: people only (an API key has none). */
  changePassword: ((ability) => ability.can('update', 'Password')) as PolicyHandler,
};
