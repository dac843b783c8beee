declare const scopeBrand: unique symbol;

/**
 * The tenant a storage call is limited to. Branded so that only TenantContext (which is built by
 * tenant resolution or by a worker job from its payload) can make one.
 */
export interface TenantScope {
  readonly tenantId: string;
  readonly [scopeBrand]: true;
}

/** A tenant scope narrowed to one knowledge base. */
export interface KbScope extends TenantScope {
  readonly kbId: string;
}

/** @internal Used by TenantContext only. */
export function mintTenantScope(tenantId: string): TenantScope {
  return Object.freeze({ tenantId }) as TenantScope;
}

/** @internal Used by TenantContext only. */
export function mintKbScope(tenantId: string, kbId: string): KbScope {
  return Object.freeze({ tenantId, kbId }) as KbScope;
}
