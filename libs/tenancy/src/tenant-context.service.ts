import { Injectable } from '@nestjs/common';
import { ClsService } from 'nestjs-cls';
import type { Principal } from './principal';
import { TenantContext } from './tenant-context';

const CONTEXT_KEY = 'strata.tenantContext';
const PRINCIPAL_KEY = 'strata.principal';
export const REQUEST_INFO_KEY = 'strata.requestInfo';

/** Where a request came from, as the audit trail records it. */
export interface RequestInfo {
  requestId: string | null;
  ip: string | null;
  userAgent: string | null;
}

/**
 * Holds the request's principal and TenantContext in AsyncLocalStorage, so singletons read them
 * without request-scoped providers. Each is set at most once per request.
 */
@Injectable()
export class TenantContextService {
  constructor(private readonly cls: ClsService) {}

  requestId(): string {
    return this.cls.isActive() ? this.cls.getId() : 'no-request';
  }

  /** The current request's id, client IP and user agent (all null outside a request). */
  requestInfo(): RequestInfo {
    if (!this.cls.isActive()) return { requestId: null, ip: null, userAgent: null };
    const info = this.cls.get<Omit<RequestInfo, 'requestId'>>(REQUEST_INFO_KEY);
    return { requestId: this.cls.getId() ?? null, ip: info?.ip ?? null, userAgent: info?.userAgent ?? null };
  }

  principal(): Principal | null {
    return this.cls.isActive() ? (this.cls.get<Principal>(PRINCIPAL_KEY) ?? null) : null;
  }

  setPrincipal(principal: Principal): void {
    this.cls.set(PRINCIPAL_KEY, principal);
  }

  current(): TenantContext | null {
    return this.cls.isActive() ? (this.cls.get<TenantContext>(CONTEXT_KEY) ?? null) : null;
  }

  /** The context of a tenant route; its absence is a programming error, not a client one. */
  require(): TenantContext {
    const context = this.current();
    if (context === null) throw new Error('No TenantContext: route is not tenant-scoped');
    return context;
  }

  set(context: TenantContext): void {
    if (this.current() !== null) throw new Error('TenantContext is already set for this request');
    this.cls.set(CONTEXT_KEY, context);
  }

  /**
   * Narrows a tenant route's context to one of the tenant's KBs, for routes that name the KB in
   * the body (a chat API's `model`) rather than the path. The caller checks visibility first,
   * exactly as tenant resolution does for a path's KB, and works out the KB's hidden documents
   * (`HiddenDocuments`): `narrowed` is the request's context narrowed to the KB.
   */
  enterKnowledgeBase(narrowed: TenantContext): TenantContext {
    const context = this.require();
    if (context.kbId !== null) throw new Error('The request already has a KB');
    if (narrowed.tenantId !== context.tenantId || narrowed.principal !== context.principal) {
      throw new Error('A KB is entered with the request’s own context');
    }
    this.cls.set(CONTEXT_KEY, narrowed);
    return narrowed;
  }
}
