import type { Membership } from '../api/types';
import { abilitiesOf } from './abilities';

const member = (
  role: Membership['role'],
  permissions: Partial<Membership['permissions']> = {},
): Membership => ({
  tenant_id: 't',
  tenant_slug: 'acme',
  tenant_name: 'Acme',
  role,
  knowledge_base_ids: null,
  permissions: { create_kb: false, delete_documents: false, run_queries: true, ...permissions },
});

describe('abilitiesOf', () => {
  it('gives a viewer reading and querying only', () => {
    expect(abilitiesOf(member('viewer'))).toEqual({
      readKnowledgeBases: true,
      manageTenant: false,
      manageMembers: false,
      viewUsage: false,
      createKnowledgeBase: false,
      writeDocuments: false,
      deleteDocuments: false,
      query: true,
      editGraph: false,
    });
  });

  it('lets an editor write, and delete only with the flag', () => {
    expect(abilitiesOf(member('editor'))).toMatchObject({ writeDocuments: true, deleteDocuments: false });
    expect(abilitiesOf(member('editor', { delete_documents: true })).deleteDocuments).toBe(true);
  });

  it('gives nothing outside a membership', () => {
    expect(Object.values(abilitiesOf(null)).some(Boolean)).toBe(false);
  });

  it('lets a platform admin outside the tenant manage its members and see its usage, not its KBs', () => {
    const can = abilitiesOf(null, true);
    expect(can).toMatchObject({
      manageMembers: true,
      viewUsage: true,
      readKnowledgeBases: false,
      manageTenant: false,
    });
    expect(abilitiesOf(member('viewer'), true)).toMatchObject({
      readKnowledgeBases: true,
      manageMembers: true,
    });
  });
});
