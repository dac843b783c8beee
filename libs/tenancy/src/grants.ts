import { BadRequest, ErrorCode, parseIdOrSlug } from '@strata/core';
import type { KnowledgeBaseLookup } from './resolution/lookups';
import { DEFAULT_PERMISSIONS, PermissionFlags, permissionsOutsideRole, TenantRole } from './roles';
import type { TenantScope } from './scope';

/**
 * The flags to store for a role: its defaults overridden by `flags`. A flag the role cannot hold is
 * a 400 (members and API keys share this rule).
 */
export function grantablePermissions(
  role: TenantRole,
  flags: Partial<PermissionFlags> = {},
): PermissionFlags {
  const outside = permissionsOutsideRole(role, flags);
  if (outside.length > 0) {
    throw new BadRequest(ErrorCode.PERMISSION_OUTSIDE_ROLE, `role ${role} cannot hold ${outside.join(', ')}`);
  }
  return { ...DEFAULT_PERMISSIONS[role], ...flags };
}

/**
 * Resolves a KB assignment given as uuids or slugs to KB ids of the scope's tenant. Anything not
 * found there, including another tenant's KB, is one and the same 400. null/undefined = all KBs.
 */
export async function resolveKnowledgeBaseRefs(
  lookup: KnowledgeBaseLookup,
  scope: TenantScope,
  refs: readonly string[] | null | undefined,
): Promise<string[] | null> {
  if (refs === null || refs === undefined) return null;
  const ids = new Set<string>();
  for (const raw of new Set(refs)) {
    const ref = parseIdOrSlug(raw);
    const kb = ref && (await lookup.findKnowledgeBase(scope, ref));
    if (!kb)
      throw new BadRequest(
        ErrorCode.UNKNOWN_KNOWLEDGE_BASE,
        `knowledge base ${raw} does not exist in this tenant`,
      );
    ids.add(kb.id);
  }
  return [...ids];
}
