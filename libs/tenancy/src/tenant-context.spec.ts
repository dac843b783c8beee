import type { Principal } from './principal';
import { TenantContext } from './tenant-context';

const principal: Principal = {
  type: 'user',
  id: 'u1',
  email: 'u@x',
  platformAdmin: false,
  tokenTenantId: null,
  sessionId: null,
  signInMethod: null,
};

const context = (overrides: Partial<Parameters<typeof TenantContext.forMember>[0]> = {}) =>
  TenantContext.forMember({
    tenantId: 't1',
    tenantSlug: 'acme',
    principal,
    role: 'viewer',
    kbIds: ['kb1'],
    requestId: 'r1',
    ...overrides,
  });

describe('TenantContext', () => {
  it('is immutable', () => {
    const ctx = context();
    expect(() => ((ctx as { tenantId: string }).tenantId = 'other')).toThrow(TypeError);
    expect(Object.isFrozen(ctx)).toBe(true);
  });

  it('yields scopes only for its own tenant and KB', () => {
    const ctx = context().withKnowledgeBase('kb1').hidingDocuments([]);
    expect(ctx.scope()).toEqual({ tenantId: 't1' });
    expect(ctx.kbScope()).toEqual({ tenantId: 't1', kbId: 'kb1' });
    expect(() => context().kbScope()).toThrow('no knowledge base');
  });

  it("hides the KB's documents its access lists keep from a member, once they are worked out", () => {
    const unresolved = context().withKnowledgeBase('kb1');
    expect(() => unresolved.kbScope()).toThrow('were not worked out');
    expect(unresolved.kbScopeForAccessLists()).toEqual({ tenantId: 't1', kbId: 'kb1' });
    const resolved = unresolved.hidingDocuments(['d1']);
    expect(resolved.kbScope()).toEqual({ tenantId: 't1', kbId: 'kb1', hiddenDocumentIds: ['d1'] });
    // Another KB's hidden documents are its own: they are worked out again.
    expect(() => resolved.withKnowledgeBase('kb2').kbScope()).toThrow('were not worked out');
  });

  it('hides nothing from tenant admins and jobs, whose scopes need no working out', () => {
    expect(context({ role: 'admin' }).withKnowledgeBase('kb1').kbScope()).toEqual({
      tenantId: 't1',
      kbId: 'kb1',
    });
    const job = TenantContext.forJob({ tenantId: 't1', kbId: 'kb1', jobName: 'ingest', jobId: 'j1' });
    expect(job.seesEveryDocument).toBe(true);
    expect(job.kbScope()).toEqual({ tenantId: 't1', kbId: 'kb1' });
    expect(context({ role: 'editor' }).seesEveryDocument).toBe(false);
  });

  it('sees the KBs of its assignment, all of them when unassigned, none without a role', () => {
    expect(context().canSeeKnowledgeBase('kb1')).toBe(true);
    expect(context().canSeeKnowledgeBase('kb2')).toBe(false);
    expect(context({ kbIds: null }).canSeeKnowledgeBase('kb2')).toBe(true);
    expect(context({ role: null, kbIds: null }).canSeeKnowledgeBase('kb1')).toBe(false);
  });

  it('gives a non-member platform admin no permission flags', () => {
    expect(context({ role: null }).permissions).toEqual({
      create_kb: false,
      delete_documents: false,
      run_queries: false,
    });
  });

  it("gives the operator a tenant admin's rights on every KB, within the tenant's quotas", () => {
    const operator = TenantContext.forOperator({
      id: 't9',
      slug: 'acme',
      quotas: { max_knowledge_bases: 3 },
      requestId: 'cli-1',
    });
    expect(operator.principal).toEqual({
      type: 'system',
      id: 'cli',
      platformAdmin: false,
      tokenTenantId: null,
    });
    expect(operator.canSeeKnowledgeBase('any-kb')).toBe(true);
    expect(operator.permissions.create_kb).toBe(true);
    expect(operator.quotas.max_knowledge_bases).toBe(3);
    expect(operator.scope().tenantId).toBe('t9');
  });
});
