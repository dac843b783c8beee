import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { ErrorCode, Forbidden, knowledgeBaseNotFound, parseIdOrSlug, tenantNotFound } from '@strata/core';
import { TenantContext } from '../tenant-context';
import { TenantContextService } from '../tenant-context.service';
import { pathParam } from './path-param';
import { ResolutionLookup, type MembershipGrant } from './lookups';

/**
 * Steps 3-4 of the request path: loads the path's tenant and KB and the principal's membership,
 * fresh on every request (a removed or demoted member loses access at once), and opens the
 * TenantContext. Whatever the principal may not see answers 404, exactly like what does not exist.
 */
@Injectable()
export class TenantResolutionGuard implements CanActivate {
  constructor(
    private readonly contexts: TenantContextService,
    private readonly directory: ResolutionLookup,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context
      .switchToHttp()
      .getRequest<Request & { strataTenantId?: string; strataKbId?: string }>();
    const tenantParam = pathParam(request, 'tenantId');
    const principal = this.contexts.principal();
    if (tenantParam === undefined || principal === null) return true;

    const tenantRef = parseIdOrSlug(tenantParam);
    if (!tenantRef) throw tenantNotFound();
    const kbParam = pathParam(request, 'kbId');
    const kbRef = kbParam === undefined ? null : parseIdOrSlug(kbParam);

    // One statement reads the tenant, the user's membership and the KB (each read fresh).
    const found = await this.directory.resolve(
      tenantRef,
      principal.type === 'user' ? principal.id : null,
      kbRef,
    );
    if (!found || found.tenant.status === 'deleting') throw tenantNotFound();
    const { tenant } = found;
    if (principal.tokenTenantId !== null && principal.tokenTenantId !== tenant.id) throw tenantNotFound();

    // An API key carries its own grant; a user's comes from their membership.
    const membership: MembershipGrant | null =
      principal.type === 'api_key'
        ? { role: principal.role, knowledgeBaseIds: principal.kbIds, permissions: principal.permissions }
        : found.membership;
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
      const kb = found.knowledgeBase;
      if (!kb || !tenantContext.canSeeKnowledgeBase(kb.id)) throw knowledgeBaseNotFound();
      tenantContext = tenantContext.withKnowledgeBase(kb.id);
    }

    this.contexts.set(tenantContext);
    request.strataTenantId = tenant.id;
    if (tenantContext.kbId !== null) request.strataKbId = tenantContext.kbId;
    return true;
  }
}
