import { inRequestTenant } from '@strata/authz';

const onApiKeys = inRequestTenant('ApiKey');

export const ApiKeyPolicies = {
  list: onApiKeys('list'),
  create: onApiKeys('create'),
  delete: onApiKeys('delete'),
};
