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
      manageTenant: false,
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
});
