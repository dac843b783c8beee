import type { TenantScope } from '@strata/tenancy';

/** What a tenant holds in the libraries above this one, counted as its quotas count it. */
export interface TenantHoldingCounts {
  knowledgeBases: number;
  /** Documents not being deleted, over all the tenant's KBs. */
  documents: number;
  /** Their original files' bytes. */
  storageBytes: number;
}

/**
 * The tenant's KBs and documents for its usage report. Their tables belong to libraries that
 * depend on this one, so the documents library provides this (`DocumentPortsModule`).
 */
export abstract class TenantHoldings {
  abstract count(scope: TenantScope): Promise<TenantHoldingCounts>;
}
