import type { IdOrSlug } from '@strata/core';
import type { TenantQuotas } from '../quotas';
import type { PermissionFlags, TenantRole } from '../roles';
import type { TenantScope } from '../scope';

export type TenantStatus = 'active' | 'suspended' | 'deleting';

export interface TenantSummary {
  id: string;
  slug: string;
  name: string;
  status: TenantStatus;
  /** Only the quotas set explicitly (see withDefaultQuotas). */
  quotas: Partial<TenantQuotas>;
  /** Sessions started with a password may not act in it (platform admins excepted). */
  ssoRequired: boolean;
}

export interface KnowledgeBaseSummary {
  id: string;
  slug: string;
}

/** Finds a tenant by uuid or slug for tenant resolution (implemented by the tenants module). */
export abstract class TenantLookup {
  abstract findTenant(ref: IdOrSlug): Promise<TenantSummary | null>;
}

/** Finds a KB by uuid or slug inside a tenant (implemented by the knowledge-bases module). */
export abstract class KnowledgeBaseLookup {
  abstract findKnowledgeBase(scope: TenantScope, ref: IdOrSlug): Promise<KnowledgeBaseSummary | null>;
}

/** What a principal may do in a tenant: a user's membership, or an API key's own grant. */
export interface MembershipGrant {
  role: TenantRole;
  knowledgeBaseIds: readonly string[] | null;
  permissions?: Partial<PermissionFlags>;
}

/** The rows tenant resolution needs for one request. */
export interface Resolution {
  tenant: TenantSummary;
  /** The user's membership in the tenant; null when they are not a member or no user was named. */
  membership: MembershipGrant | null;
  /** The KB named, inside this tenant; null when it does not exist there or none was named. */
  knowledgeBase: KnowledgeBaseSummary | null;
}

/**
 * Reads a tenant, a user's membership in it and one of its KBs in a single statement (the
 * request path's hot read; implemented in the composition root, which knows the three tables).
 */
export abstract class ResolutionLookup {
  abstract resolve(tenant: IdOrSlug, userId: string | null, kb: IdOrSlug | null): Promise<Resolution | null>;
}
