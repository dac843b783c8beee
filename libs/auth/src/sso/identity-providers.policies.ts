import type { PolicyHandler } from '@strata/authz';

/** Identity providers are deployment-wide: only platform admins see and change them. */
export const IdentityProviderPolicies = {
  list: ((ability) => ability.can('list', 'IdentityProvider')) as PolicyHandler,
  create: ((ability) => ability.can('create', 'IdentityProvider')) as PolicyHandler,
  read: ((ability) => ability.can('read', 'IdentityProvider')) as PolicyHandler,
  update: ((ability) => ability.can('update', 'IdentityProvider')) as PolicyHandler,
  delete: ((ability) => ability.can('delete', 'IdentityProvider')) as PolicyHandler,
};
