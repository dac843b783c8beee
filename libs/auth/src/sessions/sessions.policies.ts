import type { PolicyHandler } from '@strata/authz';

export const SessionPolicies = {
  /** A person's own sessions: any signed-in user; API keys have none. */
  list: ((ability) => ability.can('list', 'Session')) as PolicyHandler,
  delete: ((ability) => ability.can('delete', 'Session')) as PolicyHandler,
};
