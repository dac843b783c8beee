import type { EntityManager } from 'typeorm';
import type { TenantScope } from '../scope';

/**
 * The groups identity-provider rules put people in (implemented by the tenants library, which
 * owns groups; auth applies the rules at sign-in and cannot import it).
 */
export abstract class SsoGroupGrants {
  /** Of these ids, those that are groups of the tenant. */
  abstract existing(scope: TenantScope, ids: readonly string[]): Promise<Set<string>>;

  /**
   * Puts the person in exactly `groupIds` among the groups the provider put them in, in the
   * caller's transaction; groups an admin put them in stay. Answers what changed.
   */
  abstract sync(
    manager: EntityManager,
    scope: TenantScope,
    grant: { userId: string; providerId: string; groupIds: readonly string[] },
  ): Promise<{ added: string[]; removed: string[] }>;
}
