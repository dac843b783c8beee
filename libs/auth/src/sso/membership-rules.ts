import {
  effectivePermissions,
  PERMISSION_NAMES,
  type PermissionFlags,
  type TenantRole,
} from '@strata/tenancy';

/** One rule of an identity provider: people with this claim value (a group) get this membership. */
export interface MembershipRule {
  /** Compared exactly (case matters: providers' group names and ids are case-sensitive). */
  claim_value: string;
  tenant_id: string;
  role: TenantRole;
  /** null = every KB of the tenant. */
  knowledge_base_ids: string[] | null;
  /** Flags beyond the role's defaults, within its bounds; missing ones take the defaults. */
  permissions?: Partial<PermissionFlags>;
  /** Groups of the tenant the person joins (document access lists name groups). */
  group_ids?: string[];
}

/** The membership the rules give a person in one tenant. */
export interface RuleGrant {
  tenantId: string;
  role: TenantRole;
  knowledgeBaseIds: string[] | null;
  permissions: PermissionFlags;
  /** Every group the matching rules name, each once. */
  groupIds: string[];
}

const ROLE_RANK: Record<TenantRole, number> = { viewer: 0, editor: 1, admin: 2 };

/**
 * The claim values at `path` (dots go into nested objects, e.g. Keycloak's `realm_access.roles`):
 * a string is one value, an array gives its strings, anything else none. A key that itself holds
 * dots (e.g. a namespaced claim `https://example.com/groups`) is matched whole first.
 */
export function claimValues(claims: Readonly<Record<string, unknown>>, path: string): string[] {
  const value = path in claims ? claims[path] : dig(claims, path.split('.'));
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return [...new Set(value.filter((v): v is string => typeof v === 'string'))];
  return [];
}

function dig(value: unknown, keys: string[]): unknown {
  let current = value;
  for (const key of keys) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/**
 * The memberships a person with `values` gets, one per tenant. Where several rules name one
 * tenant they add up: the highest role, the union of their KBs (every KB when any says every
 * KB), each flag any of them grants, kept within the role's bounds, and every group they name.
 */
export function grantsFromRules(
  rules: readonly MembershipRule[],
  values: readonly string[],
): Map<string, RuleGrant> {
  const held = new Set(values);
  const grants = new Map<string, RuleGrant>();
  for (const rule of rules) {
    if (!held.has(rule.claim_value)) continue;
    const flags = effectivePermissions(rule.role, rule.permissions);
    const earlier = grants.get(rule.tenant_id);
    if (earlier === undefined) {
      grants.set(rule.tenant_id, {
        tenantId: rule.tenant_id,
        role: rule.role,
        knowledgeBaseIds: rule.knowledge_base_ids === null ? null : [...new Set(rule.knowledge_base_ids)],
        permissions: flags,
        groupIds: [...new Set(rule.group_ids ?? [])],
      });
      continue;
    }
    const role = ROLE_RANK[rule.role] > ROLE_RANK[earlier.role] ? rule.role : earlier.role;
    const anyFlags = Object.fromEntries(
      PERMISSION_NAMES.map((name) => [name, earlier.permissions[name] || flags[name]]),
    ) as unknown as PermissionFlags;
    grants.set(rule.tenant_id, {
      tenantId: rule.tenant_id,
      role,
      knowledgeBaseIds:
        earlier.knowledgeBaseIds === null || rule.knowledge_base_ids === null
          ? null
          : [...new Set([...earlier.knowledgeBaseIds, ...rule.knowledge_base_ids])],
      permissions: effectivePermissions(role, anyFlags),
      groupIds: [...new Set([...earlier.groupIds, ...(rule.group_ids ?? [])])],
    });
  }
  return grants;
}
