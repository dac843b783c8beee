import { claimValues, grantsFromRules, type MembershipRule } from './membership-rules';

const ACME = '11111111-1111-4111-8111-111111111111';
const GLOBEX = '22222222-2222-4222-8222-222222222222';
const KB_A = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
const KB_B = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';

describe('claimValues', () => {
  it('reads a list, a single string, a nested path and a namespaced claim', () => {
    expect(claimValues({ groups: ['a', 'b', 'a', 3] }, 'groups')).toEqual(['a', 'b']);
    expect(claimValues({ role: 'ops' }, 'role')).toEqual(['ops']);
    expect(claimValues({ realm_access: { roles: ['x', 'y'] } }, 'realm_access.roles')).toEqual(['x', 'y']);
    expect(claimValues({ 'https://example.com/groups': ['n'] }, 'https://example.com/groups')).toEqual(['n']);
  });

  it('gives nothing for a missing claim or one of another shape', () => {
    expect(claimValues({}, 'groups')).toEqual([]);
    expect(claimValues({ groups: { a: 1 } }, 'groups')).toEqual([]);
    expect(claimValues({ realm_access: 'roles' }, 'realm_access.roles')).toEqual([]);
    expect(claimValues({ groups: null }, 'groups')).toEqual([]);
  });
});

describe('grantsFromRules', () => {
  const rules: MembershipRule[] = [
    { claim_value: 'acme-viewers', tenant_id: ACME, role: 'viewer', knowledge_base_ids: [KB_A] },
    {
      claim_value: 'acme-editors',
      tenant_id: ACME,
      role: 'editor',
      knowledge_base_ids: [KB_B],
      permissions: { create_kb: true },
    },
    { claim_value: 'globex-all', tenant_id: GLOBEX, role: 'viewer', knowledge_base_ids: null },
  ];

  it('grants nothing to someone in no mapped group, and is case-sensitive', () => {
    expect(grantsFromRules(rules, [])).toEqual(new Map());
    expect(grantsFromRules(rules, ['ACME-VIEWERS', 'other'])).toEqual(new Map());
  });

  it('gives one membership per tenant with the rule’s role, KBs and default flags', () => {
    const grants = grantsFromRules(rules, ['acme-viewers', 'globex-all']);
    expect(grants.get(ACME)).toEqual({
      tenantId: ACME,
      role: 'viewer',
      knowledgeBaseIds: [KB_A],
      permissions: { create_kb: false, delete_documents: false, run_queries: true },
      groupIds: [],
    });
    expect(grants.get(GLOBEX)).toMatchObject({ role: 'viewer', knowledgeBaseIds: null });
  });

  it('adds up several rules of one tenant: highest role, union of KBs, any flag granted', () => {
    const grant = grantsFromRules(rules, ['acme-viewers', 'acme-editors']).get(ACME);
    expect(grant).toEqual({
      tenantId: ACME,
      role: 'editor',
      knowledgeBaseIds: [KB_A, KB_B],
      permissions: { create_kb: true, delete_documents: true, run_queries: true },
      groupIds: [],
    });
  });

  it('joins every group the matching rules of a tenant name, each once', () => {
    const HR = 'cccccccc-cccc-4ccc-8ccc-cccccccccccc';
    const PAYROLL = 'dddddddd-dddd-4ddd-8ddd-dddddddddddd';
    const grouped: MembershipRule[] = [
      { claim_value: 'hr', tenant_id: ACME, role: 'viewer', knowledge_base_ids: null, group_ids: [HR] },
      {
        claim_value: 'payroll',
        tenant_id: ACME,
        role: 'viewer',
        knowledge_base_ids: null,
        group_ids: [HR, PAYROLL],
      },
      {
        claim_value: 'globex-hr',
        tenant_id: GLOBEX,
        role: 'viewer',
        knowledge_base_ids: null,
        group_ids: [HR],
      },
    ];
    expect(grantsFromRules(grouped, ['hr', 'payroll']).get(ACME)?.groupIds).toEqual([HR, PAYROLL]);
    expect(grantsFromRules(grouped, ['hr']).get(ACME)?.groupIds).toEqual([HR]);
    expect(grantsFromRules(grouped, ['hr']).has(GLOBEX)).toBe(false);
  });

  it('lets a rule for every KB win over rules naming some', () => {
    const all: MembershipRule = {
      claim_value: 'acme-all',
      tenant_id: ACME,
      role: 'viewer',
      knowledge_base_ids: null,
    };
    expect(
      grantsFromRules([...rules, all], ['acme-viewers', 'acme-all']).get(ACME)?.knowledgeBaseIds,
    ).toBeNull();
    expect(
      grantsFromRules([all, ...rules], ['acme-all', 'acme-editors']).get(ACME)?.knowledgeBaseIds,
    ).toBeNull();
  });

  it('keeps flags within the role: a viewer rule cannot grant deleting documents', () => {
    const loose: MembershipRule = {
      claim_value: 'v',
      tenant_id: ACME,
      role: 'viewer',
      knowledge_base_ids: null,
      permissions: { delete_documents: true, create_kb: true },
    };
    expect(grantsFromRules([loose], ['v']).get(ACME)?.permissions).toEqual({
      create_kb: false,
      delete_documents: false,
      run_queries: true,
    });
  });
});
