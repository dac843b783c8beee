import { PolicyHandler, subject } from '@strata/authz';

const tenantOf = (context: Parameters<PolicyHandler>[1]) => subject('Tenant', { id: context?.tenantId });

export const TenantPolicies = {
  list: ((ability) => ability.can('list', 'Tenant')) as PolicyHandler,
  create: ((ability) => ability.can('create', 'Tenant')) as PolicyHandler,
  read: ((ability, context) => ability.can('read', tenantOf(context))) as PolicyHandler,
  update: ((ability, context) => ability.can('update', tenantOf(context))) as PolicyHandler,
  delete: ((ability, context) => ability.can('delete', tenantOf(context))) as PolicyHandler,
};
