import { KbScope, TenantContext, TenantScope } from '@strata/tenancy';

/**
 * Scopes for tests that call storage ports directly. Only TenantContext mints scopes; a job's
 * context is the one built from plain ids, as a worker does.
 */
export const testKbScope = (tenantId: string, kbId: string): KbScope =>
  TenantContext.forJob({ tenantId, kbId, jobName: 'test', jobId: 'test' }).kbScope();

export const testTenantScope = (tenantId: string): TenantScope =>
  TenantContext.forJob({ tenantId, kbId: null, jobName: 'test', jobId: 'test' }).scope();
