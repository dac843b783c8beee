import { Principal, TenantContext, TenantRole } from '@strata/tenancy';
import { defineAbility, subject } from './ability';

const user = (platformAdmin = false): Principal => ({
  type: 'user',
  id: 'u1',
  email: 'u@x',
  platformAdmin,
  tokenTenantId: null,
  sessionId: 's1',
  signInMethod: 'password',
});

const member = (
  role: TenantRole | null,
  kbIds: string[] | null = null,
  permissions = {},
  platformAdmin = false,
) =>
  TenantContext.forMember({
    tenantId: 't1',
    tenantSlug: 't1',
    principal: user(platformAdmin),
    role,
    kbIds,
    permissions,
    requestId: 'r',
  });

const kb = (id: string, tenantId = 't1') => subject('KnowledgeBase', { id, tenantId });

describe('defineAbility', () => {
  it('lets a platform admin run tenants and members but not read KB content', () => {
    const ability = defineAbility(user(true), member(null, null, {}, true));
    expect(ability.can('create', 'Tenant')).toBe(true);
    expect(ability.can('delete', subject('Tenant', { id: 'any' }))).toBe(true);
    expect(ability.can('create', subject('Member', { tenantId: 't1' }))).toBe(true);
    expect(ability.can('read', kb('k1'))).toBe(false);
    expect(ability.can('list', subject('KnowledgeBase', { tenantId: 't1' }))).toBe(false);
    expect(ability.can('list', 'Account')).toBe(true);
    expect(ability.can('update', 'Account')).toBe(true);
    expect(ability.can('create', 'IdentityProvider')).toBe(true);
  });

  it('keeps the deployment’s accounts from tenant admins', () => {
    const ability = defineAbility(user(), member('admin'));
    expect(ability.can('list', 'Account')).toBe(false);
    expect(ability.can('update', 'Account')).toBe(false);
    expect(ability.can('list', 'IdentityProvider')).toBe(false);
  });

  it('gives a tenant admin everything inside their tenant only', () => {
    const ability = defineAbility(user(), member('admin'));
    expect(ability.can('delete', kb('k1'))).toBe(true);
    expect(ability.can('update', subject('Member', { tenantId: 't1' }))).toBe(true);
    expect(ability.can('read', kb('k1', 't2'))).toBe(false);
    expect(ability.can('update', subject('Member', { tenantId: 't2' }))).toBe(false);
    expect(ability.can('update', subject('Tenant', { id: 't1' }))).toBe(false);
    expect(ability.can('create', 'Tenant')).toBe(false);
  });

  it('lets a tenant admin invite members but not add accounts directly, in their tenant only', () => {
    const ability = defineAbility(user(), member('admin'));
    const inTenant = (name: 'Member' | 'Invitation', tenantId = 't1') => subject(name, { tenantId });
    expect(ability.can('create', inTenant('Invitation'))).toBe(true);
    expect(ability.can('delete', inTenant('Invitation'))).toBe(true);
    expect(ability.can('create', inTenant('Member'))).toBe(false);
    expect(ability.can('update', inTenant('Member'))).toBe(true);
    expect(ability.can('create', inTenant('Invitation', 't2'))).toBe(false);
    for (const role of ['editor', 'viewer'] as const) {
      expect(defineAbility(user(), member(role)).can('create', inTenant('Invitation'))).toBe(false);
    }
  });

  it('limits editors and viewers to reading their assigned KBs', () => {
    for (const role of ['editor', 'viewer'] as const) {
      const ability = defineAbility(user(), member(role, ['k1']));
      expect(ability.can('read', kb('k1'))).toBe(true);
      expect(ability.can('read', kb('k2'))).toBe(false);
      expect(ability.can('update', kb('k1'))).toBe(false);
      expect(ability.can('delete', kb('k1'))).toBe(false);
      expect(ability.can('list', subject('Member', { tenantId: 't1' }))).toBe(false);
      expect(ability.can('read', subject('Tenant', { id: 't1' }))).toBe(true);
    }
  });

  it('lets create_kb decide who creates KBs', () => {
    const create = (ctx: TenantContext) =>
      defineAbility(user(), ctx).can('create', subject('KnowledgeBase', { tenantId: 't1' }));
    expect(create(member('editor'))).toBe(false);
    expect(create(member('editor', null, { create_kb: true }))).toBe(true);
    expect(create(member('viewer', null, { create_kb: true }))).toBe(false);
    expect(create(member('admin', null, { create_kb: false }))).toBe(false);
  });

  it('lets a person, never an API key, list and end their sessions and change their password', () => {
    const person = defineAbility(user(), null);
    expect(person.can('list', 'Session')).toBe(true);
    expect(person.can('delete', 'Session')).toBe(true);
    expect(person.can('update', 'Password')).toBe(true);
    const key = defineAbility(
      {
        type: 'api_key',
        id: 'k1',
        platformAdmin: false,
        tokenTenantId: 't1',
        role: 'admin',
        kbIds: null,
        permissions: { create_kb: true, delete_documents: true, run_queries: true },
      } as Principal,
      member('admin'),
    );
    expect(key.can('list', 'Session')).toBe(false);
    expect(key.can('delete', 'Session')).toBe(false);
    expect(key.can('update', 'Password')).toBe(false);
  });

  it('lets anyone authenticated list tenants (the service filters) but nothing else without a context', () => {
    const ability = defineAbility(user(), null);
    expect(ability.can('list', 'Tenant')).toBe(true);
    expect(ability.can('read', subject('Tenant', { id: 't1' }))).toBe(false);
  });

  describe('documents', () => {
    const doc = (kbId: string, tenantId = 't1') => subject('Document', { tenantId, kbId });

    it('lets viewers read documents of their assigned KBs only, and change none', () => {
      const ability = defineAbility(user(), member('viewer', ['k1']));
      expect(ability.can('read', doc('k1'))).toBe(true);
      expect(ability.can('list', doc('k1'))).toBe(true);
      expect(ability.can('read', doc('k2'))).toBe(false);
      expect(ability.can('create', doc('k1'))).toBe(false);
      expect(ability.can('delete', doc('k1'))).toBe(false);
    });

    it('lets editors add and reindex in their KBs, and delete only with delete_documents', () => {
      const editor = defineAbility(user(), member('editor', ['k1']));
      expect(editor.can('create', doc('k1'))).toBe(true);
      expect(editor.can('update', doc('k1'))).toBe(true);
      expect(editor.can('delete', doc('k1'))).toBe(true);
      expect(editor.can('create', doc('k2'))).toBe(false);
      const withoutDelete = defineAbility(user(), member('editor', ['k1'], { delete_documents: false }));
      expect(withoutDelete.can('create', doc('k1'))).toBe(true);
      expect(withoutDelete.can('delete', doc('k1'))).toBe(false);
    });

    it("gives admins every KB of their tenant and nothing of another tenant's", () => {
      const ability = defineAbility(user(), member('admin'));
      expect(ability.can('delete', doc('any'))).toBe(true);
      expect(ability.can('read', doc('k1', 't2'))).toBe(false);
      expect(defineAbility(user(true), member(null, null, {}, true)).can('read', doc('k1'))).toBe(false);
    });
  });

  describe('knowledge graphs', () => {
    const graph = (kbId: string, tenantId = 't1') => subject('Graph', { tenantId, kbId });

    it('lets every member read the graph of their assigned KBs, and editors and admins change it', () => {
      const viewer = defineAbility(user(), member('viewer', ['k1']));
      expect(viewer.can('read', graph('k1'))).toBe(true);
      expect(viewer.can('read', graph('k2'))).toBe(false);
      expect(viewer.can('update', graph('k1'))).toBe(false);
      const editor = defineAbility(user(), member('editor', ['k1']));
      expect(editor.can('update', graph('k1'))).toBe(true);
      expect(editor.can('update', graph('k2'))).toBe(false);
      expect(defineAbility(user(), member('admin')).can('update', graph('any'))).toBe(true);
      expect(defineAbility(user(), member('admin')).can('read', graph('k1', 't2'))).toBe(false);
      expect(defineAbility(user(true), member(null, null, {}, true)).can('read', graph('k1'))).toBe(false);
    });
  });
});
