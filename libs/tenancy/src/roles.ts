export const TENANT_ROLES = ['admin', 'editor', 'viewer'] as const;
export type TenantRole = (typeof TENANT_ROLES)[number];

/** The ADR's permission flags; they refine a role within its bounds, never beyond. */
export interface PermissionFlags {
  create_kb: boolean;
  delete_documents: boolean;
  run_queries: boolean;
}

export const PERMISSION_NAMES = ['create_kb', 'delete_documents', 'run_queries'] as const;
export type PermissionName = (typeof PERMISSION_NAMES)[number];

/** Flags each role may hold at all. */
export const ROLE_PERMISSION_BOUNDS: Record<TenantRole, readonly PermissionName[]> = {
  admin: ['create_kb', 'delete_documents', 'run_queries'],
  editor: ['create_kb', 'delete_documents', 'run_queries'],
  viewer: ['run_queries'],
};

/** Flags a role gets when the caller names none. */
export const DEFAULT_PERMISSIONS: Record<TenantRole, PermissionFlags> = {
  admin: { create_kb: true, delete_documents: true, run_queries: true },
  editor: { create_kb: false, delete_documents: true, run_queries: true },
  viewer: { create_kb: false, delete_documents: false, run_queries: true },
};

/** Flags outside the role's bounds that `flags` sets to true. */
export function permissionsOutsideRole(role: TenantRole, flags: Partial<PermissionFlags>): PermissionName[] {
  return PERMISSION_NAMES.filter(
    (name) => flags[name] === true && !ROLE_PERMISSION_BOUNDS[role].includes(name),
  );
}

/** The effective flags: defaults for the role, overridden by explicit flags. */
export function effectivePermissions(
  role: TenantRole,
  flags: Partial<PermissionFlags> = {},
): PermissionFlags {
  const result = { ...DEFAULT_PERMISSIONS[role] };
  for (const name of PERMISSION_NAMES) {
    if (typeof flags[name] === 'boolean')
      result[name] = flags[name] && ROLE_PERMISSION_BOUNDS[role].includes(name);
  }
  return result;
}
