import type { Membership } from '../api/types';

/**
 * What the signed-in user may do in a tenant, from their membership, so the console shows only
 * the controls they can use. The API checks every call again; this only hides what it would refuse.
 */
export interface Abilities {
  manageTenant: boolean;
  createKnowledgeBase: boolean;
  writeDocuments: boolean;
  deleteDocuments: boolean;
  query: boolean;
  editGraph: boolean;
}

const NONE: Abilities = {
  manageTenant: false,
  createKnowledgeBase: false,
  writeDocuments: false,
  deleteDocuments: false,
  query: false,
  editGraph: false,
};

export function abilitiesOf(membership: Membership | null): Abilities {
  if (membership === null) return NONE;
  const writer = membership.role === 'admin' || membership.role === 'editor';
  return {
    manageTenant: membership.role === 'admin',
    createKnowledgeBase: membership.permissions.create_kb,
    writeDocuments: writer,
    deleteDocuments: writer && membership.permissions.delete_documents,
    query: membership.permissions.run_queries,
    editGraph: writer,
  };
}
