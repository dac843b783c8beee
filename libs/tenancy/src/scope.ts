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
  /**
   * Documents of the KB the caller may not see (their access lists leave the caller out). Every
   * read of the KB's content given this scope leaves them out, beside the tenant and KB filter.
   * Absent or empty: the caller sees every document (tenant admins, background jobs).
   */
  readonly hiddenDocumentIds?: readonly string[];
}

/** The documents a scope hides, as a list (empty: none). */
export const hiddenDocumentsOf = (scope: KbScope): readonly string[] => scope.hiddenDocumentIds ?? [];

/** @internal Used by TenantContext only. */
export function mintTenantScope(tenantId: string): TenantScope {
  return Object.freeze({ tenantId }) as TenantScope;
}

/** @internal Used by TenantContext only. */
export function mintKbScope(tenantId: string, kbId: string, hidden: readonly string[] = []): KbScope {
  const values =
    hidden.length === 0 ? { tenantId, kbId } : { tenantId, kbId, hiddenDocumentIds: [...hidden] };
  return Object.freeze(values) as KbScope;
}
