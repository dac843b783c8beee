import { Action, PolicyHandler, subject } from '@strata/authz';

const onApiKeys =
  (action: Action): PolicyHandler =>
  (ability, context) =>
    ability.can(action, subject('ApiKey', { tenantId: context?.tenantId }));

export const ApiKeyPolicies = {
  list: onApiKeys('list'),
  create: onApiKeys('create'),
  delete: onApiKeys('delete'),
};
