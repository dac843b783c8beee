import type { IdOrSlug } from '@strata/core';
import type { TenantQuotas } from '../quotas';
import type { TenantScope } from '../scope';

export type TenantStatus = 'active' | 'suspended' | 'deleting';

export interface TenantSummary {
  id: string;
  slug: string;
  name: string;
  status: TenantStatus;
  /** Only the quotas set explicitly (see withDefaultQuotas). */
  quotas: Partial<TenantQuotas>;
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
