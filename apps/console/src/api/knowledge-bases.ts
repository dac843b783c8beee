import { api } from './client';
import type { KnowledgeBase, Page } from './types';

/** The tenant's KBs the signed-in user may see (the API filters them by role and assignment). */
export const listKnowledgeBases = (tenantId: string) =>
  api.get<Page<KnowledgeBase>>(`/tenants/${tenantId}/knowledge-bases?limit=200`);
