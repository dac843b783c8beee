import type { Membership } from '../api/types';

/**
 * What the signed-in user may do in a tenant, from their membership (and whether they are a
 * platform admin), so the console shows only the controls they can use. The API checks every call
 * again; this only hides what it would refuse.
 */
export interface Abilities {
  /** Knowledge bases, documents, query and graph: members only. */
  readKnowledgeBases: boolean;
  /** API keys, audit trail, provider settings, KB settings. */
  manageTenant: boolean;
  /** Members and invitations: a tenant admin, or a platform admin appointing one. */
  manageMembers: boolean;
  viewUsage: boolean;
  createKnowledgeBase: boolean;
  writeDocuments: boolean;
  deleteDocuments: boolean;
  query: boolean;
  editGraph: boolean;
}

export function abilitiesOf(membership: Membership | null, platformAdmin = false): Abilities {
  const admin = membership?.role === 'admin';
  const writer = admin || membership?.role === 'editor';
  return {
    readKnowledgeBases: membership !== null,
    manageTenant: admin,
    manageMembers: admin || platformAdmin,
    viewUsage: admin || platformAdmin,
    createKnowledgeBase: membership?.permissions.create_kb ?? false,
    writeDocuments: writer,
    deleteDocuments: writer && (membership?.permissions.delete_documents ?? false),
    query: membership?.permissions.run_queries ?? false,
    editGraph: writer,
  };
}
