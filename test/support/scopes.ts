import { KbScope, TenantContext, TenantScope } from '@strata/tenancy';

/**
 * Scopes for tests that call storage ports directly. Only TenantContext mints scopes; a job's
 * context is the one built from plain ids, as a worker does.
 */
export const testKbScope = (tenantId: string, kbId: string): KbScope =>
  TenantContext.forJob({ tenantId, kbId, jobName: 'test', jobId: 'test' }).kbScope();

export const testTenantScope = (tenantId: string): TenantScope =>
  TenantContext.forJob({ tenantId, kbId: null, jobName: 'test', jobId: 'test' }).scope();

/**
 * The scope of a viewer who may not see `hidden` documents of the KB, as tenant resolution makes
 * it for a member whom document access lists leave out.
 */
export const testReaderScope = (tenantId: string, kbId: string, hidden: readonly string[]): KbScope =>
  TenantContext.forMember({
    tenantId,
    tenantSlug: 'test',
    principal: {
      type: 'user',
      id: '00000000-0000-4000-8000-00000000beef',
      email: 'reader@example.test',
      platformAdmin: false,
      tokenTenantId: null,
      sessionId: null,
      signInMethod: null,
    },
    role: 'viewer',
    kbIds: null,
    requestId: 'test',
  })
    .withKnowledgeBase(kbId)
    .hidingDocuments(hidden)
    .kbScope();
