import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import {
  ErrorCode,
  Forbidden,
  type IdOrSlug,
  knowledgeBaseNotFound,
  parseIdOrSlug,
  tenantNotFound,
} from '@strata/core';
import { AccessCache } from '../access/access-cache';
import type { AccessTag } from '../access/access-change-feed';
import { TenantContext } from '../tenant-context';
import { TenantContextService } from '../tenant-context.service';
import { pathParam } from './path-param';
import { HiddenDocuments } from './hidden-documents.port';
import { ResolutionLookup, type MembershipGrant, type Resolution } from './lookups';

/**
 * Steps 3-4 of the request path: loads the path's tenant and KB and the principal's membership
 * and opens the TenantContext, with the KB's documents the principal may not see. Whatever the
 * principal may not see answers 404, exactly like what does not exist. What it reads is kept by the AccessCache until one of those rows changes, so a
 * removed or demoted member, a suspended tenant or a deleted KB still counts on the next request.
 */
@Injectable()
export class TenantResolutionGuard implements CanActivate {
  constructor(
    private readonly contexts: TenantContextService,
    private readonly directory: ResolutionLookup,
    private readonly cache: AccessCache,
    private readonly hiddenDocuments: HiddenDocuments,
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

    const found = await this.resolve(tenantRef, principal.type === 'user' ? principal.id : null, kbRef);
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
    if (
      tenant.ssoRequired &&
      principal.type === 'user' &&
      principal.signInMethod === 'password' &&
      !principal.platformAdmin
    ) {
      throw new Forbidden(
        ErrorCode.SSO_REQUIRED,
        'This tenant is reached only by single sign-on; sign in through your organisation’s identity provider',
      );
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
      tenantContext = await this.hiddenDocuments.resolve(tenantContext.withKnowledgeBase(kb.id));
    }

    this.contexts.set(tenantContext);
    request.strataTenantId = tenant.id;
    if (tenantContext.kbId !== null) request.strataKbId = tenantContext.kbId;
    return true;
  }

  /**
   * One statement reads the tenant, the user's membership and the KB, unless the cache holds them.
   * Only a full grant is kept: a missing membership or KB could be added by an insert, which
   * notifies nothing.
   */
  private resolve(tenant: IdOrSlug, userId: string | null, kb: IdOrSlug | null): Promise<Resolution | null> {
    return this.cache.read(
      'resolution',
      `${refKey(tenant)}|${userId ?? '-'}|${kb === null ? '-' : refKey(kb)}`,
      () => this.directory.resolve(tenant, userId, kb),
      (found) => {
        if ((userId !== null && found.membership === null) || (kb !== null && found.knowledgeBase === null))
          return null;
        const tags: AccessTag[] = [`tenant:${found.tenant.id}`];
        if (userId !== null) tags.push(`user:${userId}`);
        if (found.knowledgeBase !== null) tags.push(`kb:${found.knowledgeBase.id}`);
        return tags;
      },
    );
  }
}

const refKey = (ref: IdOrSlug) => ('id' in ref ? `id:${ref.id}` : `slug:${ref.slug}`);
