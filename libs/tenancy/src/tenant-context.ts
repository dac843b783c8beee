import type { Principal, SystemPrincipal } from './principal';
import { TenantQuotas, withDefaultQuotas } from './quotas';
import { effectivePermissions, type PermissionFlags, type TenantRole } from './roles';
import { mintKbScope, mintTenantScope, type KbScope, type TenantScope } from './scope';

export interface TenantContextValues {
  tenantId: string;
  tenantSlug: string;
  kbId: string | null;
  principal: Principal;
  /** The principal's role in this tenant; null for a platform admin who is not a member. */
  role: TenantRole | null;
  /** KBs the principal may see; null = every KB of the tenant. */
  kbIds: readonly string[] | null;
  permissions: PermissionFlags;
  /** The tenant's quotas, completed with defaults. */
  quotas: TenantQuotas;
  requestId: string;
  /**
   * The documents of the KB the principal may not see (document access lists); null until worked
   * out (`DocumentVisibility`), which tenant resolution does for a path's KB.
   */
  hiddenDocumentIds?: readonly string[] | null;
}

/** Whoever runs the CLI on the host: trusted like a platform admin, recorded as `system:cli`. */
export const OPERATOR: SystemPrincipal = {
  type: 'system',
  id: 'cli',
  platformAdmin: false,
  tokenTenantId: null,
};

const NO_PERMISSIONS: PermissionFlags = { create_kb: false, delete_documents: false, run_queries: false };

/**
 * Who acts in which tenant (and KB) for one request or job. Immutable; the only source of Scopes.
 */
export class TenantContext implements Readonly<TenantContextValues> {
  readonly tenantId!: string;
  readonly tenantSlug!: string;
  readonly kbId!: string | null;
  readonly principal!: Principal;
  readonly role!: TenantRole | null;
  readonly kbIds!: readonly string[] | null;
  readonly permissions!: PermissionFlags;
  readonly quotas!: TenantQuotas;
  readonly requestId!: string;
  readonly hiddenDocumentIds!: readonly string[] | null;

  private constructor(values: TenantContextValues) {
    Object.assign(this, { hiddenDocumentIds: null }, values);
    Object.freeze(this);
  }

  /** A member's (or a non-member platform admin's) context, as tenant resolution builds it. */
  static forMember(
    values: Omit<TenantContextValues, 'permissions' | 'kbId' | 'quotas'> & {
      permissions?: Partial<PermissionFlags>;
      quotas?: Partial<TenantQuotas>;
    },
  ) {
    const permissions =
      values.role === null ? NO_PERMISSIONS : effectivePermissions(values.role, values.permissions);
    return new TenantContext({
      ...values,
      kbId: null,
      permissions,
      quotas: Object.freeze(withDefaultQuotas(values.quotas)),
      kbIds: values.kbIds ? [...values.kbIds] : null,
    });
  }

  /**
   * The context of a background job on one tenant (and KB), built from the job's payload. It has
   * no role: jobs do not pass policies, they act on work a policy already allowed.
   */
  static forJob(job: {
    tenantId: string;
    kbId: string | null;
    jobName: string;
    jobId: string;
  }): TenantContext {
    return new TenantContext({
      tenantId: job.tenantId,
      tenantSlug: '',
      kbId: job.kbId,
      principal: { type: 'system', id: job.jobName, platformAdmin: false, tokenTenantId: null },
      role: null,
      kbIds: job.kbId === null ? [] : [job.kbId],
      permissions: NO_PERMISSIONS,
      quotas: Object.freeze(withDefaultQuotas(null)),
      requestId: job.jobId,
    });
  }

  /**
   * The context of someone accepting an invitation into a tenant: no role yet, no KB; it scopes
   * the membership being made.
   */
  static forInvitee(invitee: {
    tenantId: string;
    tenantSlug: string;
    userId: string;
    email: string;
    invitationId: string;
  }): TenantContext {
    return new TenantContext({
      tenantId: invitee.tenantId,
      tenantSlug: invitee.tenantSlug,
      kbId: null,
      principal: {
        type: 'user',
        id: invitee.userId,
        email: invitee.email,
        platformAdmin: false,
        tokenTenantId: null,
        sessionId: null,
        signInMethod: null,
      },
      role: null,
      kbIds: [],
      permissions: NO_PERMISSIONS,
      quotas: Object.freeze(withDefaultQuotas(null)),
      requestId: `invitation-${invitee.invitationId}`,
    });
  }

  /**
   * The context of a single sign-on bringing a person's membership of a tenant in line with an
   * identity provider's rules: no role, no KB; it scopes the membership being made, changed or
   * removed, and the lookup of the KBs a rule names when the rule is saved. The actor is the
   * provider (`system:sso:<slug>`).
   */
  static forSsoGrant(grant: { tenantId: string; providerSlug: string; requestId: string }): TenantContext {
    return new TenantContext({
      tenantId: grant.tenantId,
      tenantSlug: '',
      kbId: null,
      principal: {
        type: 'system',
        id: `sso:${grant.providerSlug}`,
        platformAdmin: false,
        tokenTenantId: null,
      },
      role: null,
      kbIds: [],
      permissions: NO_PERMISSIONS,
      quotas: Object.freeze(withDefaultQuotas(null)),
      requestId: grant.requestId,
    });
  }

  /**
   * The host operator's context on one tenant (the CLI): a tenant admin's rights on every KB,
   * within the tenant's quotas. Its actor in the audit trail is `system:cli`.
   */
  static forOperator(tenant: {
    id: string;
    slug: string;
    quotas: Partial<TenantQuotas> | null;
    requestId: string;
  }): TenantContext {
    return new TenantContext({
      tenantId: tenant.id,
      tenantSlug: tenant.slug,
      kbId: null,
      principal: OPERATOR,
      role: 'admin',
      kbIds: null,
      permissions: effectivePermissions('admin'),
      quotas: Object.freeze(withDefaultQuotas(tenant.quotas)),
      requestId: tenant.requestId,
    });
  }

  /** The same context narrowed to one knowledge base (whose hidden documents are not known yet). */
  withKnowledgeBase(kbId: string): TenantContext {
    return new TenantContext({ ...this, kbId, hiddenDocumentIds: null });
  }

  /** The same context knowing which of its KB's documents the principal may not see. */
  hidingDocuments(hidden: readonly string[]): TenantContext {
    if (this.kbId === null) throw new Error('TenantContext has no knowledge base');
    return new TenantContext({ ...this, hiddenDocumentIds: Object.freeze([...hidden]) });
  }

  /** Whether the principal's KB assignment includes `kbId`. */
  canSeeKnowledgeBase(kbId: string): boolean {
    if (this.role === null) return false;
    return this.kbIds === null || this.kbIds.includes(kbId);
  }

  scope(): TenantScope {
    return mintTenantScope(this.tenantId);
  }

  /**
   * The KB's scope, hiding the documents the principal may not see from every store that reads
   * with it. For a principal that access lists apply to, those documents must have been worked out
   * (`hidingDocuments`): a scope that silently hid nothing would show them.
   */
  kbScope(): KbScope {
    if (this.kbId === null) throw new Error('TenantContext has no knowledge base');
    if (this.seesEveryDocument) return mintKbScope(this.tenantId, this.kbId);
    if (this.hiddenDocumentIds === null) {
      throw new Error('The documents this principal may not see in the KB were not worked out');
    }
    return mintKbScope(this.tenantId, this.kbId, this.hiddenDocumentIds);
  }

  /**
   * The KB's scope hiding nothing, for one purpose: reading the KB's access lists to work out what
   * the principal may not see (`HiddenDocuments`). Every read of content uses `kbScope()`.
   */
  kbScopeForAccessLists(): KbScope {
    if (this.kbId === null) throw new Error('TenantContext has no knowledge base');
    return mintKbScope(this.tenantId, this.kbId);
  }

  /**
   * Whether document access lists leave this principal alone: tenant admins (and the operator)
   * may change any list, so hiding a document from them would protect nothing; background jobs
   * act on work a request already allowed.
   */
  get seesEveryDocument(): boolean {
    return this.role === 'admin' || this.principal.type === 'system';
  }
}
