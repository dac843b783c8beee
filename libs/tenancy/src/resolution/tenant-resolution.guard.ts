import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { ErrorCode, Forbidden, knowledgeBaseNotFound, parseIdOrSlug, tenantNotFound } from '@strata/core';
import { MembershipsService } from '../memberships/memberships.service';
import type { Principal } from '../principal';
import type { PermissionFlags, TenantRole } from '../roles';
import { mintTenantScope } from '../scope';
import { TenantContext } from '../tenant-context';
import { TenantContextService } from '../tenant-context.service';
import { pathParam } from './path-param';
import { KnowledgeBaseLookup, TenantLookup } from './lookups';

/** What a principal may do in a tenant: a user's membership, or an API key's own grant. */
interface MembershipGrant {
  role: TenantRole;
  knowledgeBaseIds: readonly string[] | null;
  permissions?: Partial<PermissionFlags>;
}

/**
 * Steps 3-4 of the request path: loads the path's tenant and KB and the principal's membership,
 * fresh on every request (a removed or demoted member loses access at once), and opens the
 * TenantContext. Whatever the principal may not see answers 404, exactly like what does not exist.
 */
@Injectable()
export class TenantResolutionGuard implements CanActivate {
  constructor(
    private readonly contexts: TenantContextService,
    private readonly tenants: TenantLookup,
    private readonly knowledgeBases: KnowledgeBaseLookup,
    private readonly memberships: MembershipsService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request & { strataTenantId?: string }>();
    const tenantParam = pathParam(request, 'tenantId');
    const principal = this.contexts.principal();
    if (tenantParam === undefined || principal === null) return true;

    const tenantRef = parseIdOrSlug(tenantParam);
    const kbParam = pathParam(request, 'kbId');
    const kbRef = kbParam === undefined ? undefined : parseIdOrSlug(kbParam);
    if (!tenantRef) throw tenantNotFound();

    // With the tenant's id in the path, its row, the membership and the KB are read at once (one
    // round trip instead of three); each read is scoped to that id, and a row that does not
    // belong to the tenant found is never used. A slug has to be resolved to an id first.
    const tenantId = 'id' in tenantRef ? tenantRef.id : null;
    const [tenant, earlyMembership, earlyKb] = await Promise.all([
      this.tenants.findTenant(tenantRef),
      tenantId === null ? undefined : this.membershipOf(principal, tenantId),
      tenantId === null || !kbRef
        ? undefined
        : this.knowledgeBases.findKnowledgeBase(mintTenantScope(tenantId), kbRef),
    ]);
    if (!tenant || tenant.status === 'deleting') throw tenantNotFound();
    if (principal.tokenTenantId !== null && principal.tokenTenantId !== tenant.id) throw tenantNotFound();

    // An API key carries its own grant; a user's comes from their membership, read fresh.
    const membership =
      earlyMembership !== undefined ? earlyMembership : await this.membershipOf(principal, tenant.id);
    if (membership === null && !principal.platformAdmin) throw tenantNotFound();
    if (tenant.status === 'suspended' && !principal.platformAdmin) {
      throw new Forbidden(ErrorCode.TENANT_SUSPENDED, 'This tenant is suspended');
    }

    let tenantContext = TenantContext.forMember({
      tenantId: tenant.id,
      tenantSlug: tenant.slug,
      principal,
      role: membership?.role ?? null,
      kbIds: membership?.knowledgeBaseIds ?? null,
      permissions: membership?.permissions,
      quotas: tenant.quotas,
      requestId: this.contexts.requestId(),
    });

    if (kbParam !== undefined) {
      const kb =
        kbRef &&
        (earlyKb !== undefined
          ? earlyKb
          : await this.knowledgeBases.findKnowledgeBase(tenantContext.scope(), kbRef));
      if (!kb || !tenantContext.canSeeKnowledgeBase(kb.id)) throw knowledgeBaseNotFound();
      tenantContext = tenantContext.withKnowledgeBase(kb.id);
    }

    this.contexts.set(tenantContext);
    request.strataTenantId = tenant.id;
    return true;
  }

  private async membershipOf(principal: Principal, tenantId: string): Promise<MembershipGrant | null> {
    if (principal.type === 'api_key') {
      return { role: principal.role, knowledgeBaseIds: principal.kbIds, permissions: principal.permissions };
    }
    return this.memberships.findForResolution(tenantId, principal.id);
  }
}
