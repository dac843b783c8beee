import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { rateLimitRejections, TooManyRequests } from '@strata/core';
import { pathParam, TenantContextService } from '@strata/tenancy';
import { COUNTS_AS_QUERY_KEY } from './rate-limit.decorators';
import { ThrottledTenants } from './throttled-tenants';

/**
 * Runs after authentication and before tenant resolution: a request to a tenant this process has
 * just throttled is refused at once, without the reads that resolution and the rate limit would
 * make, when its principal is bound to that very tenant (an API key, or a session opened for the
 * tenant). Nothing is revealed: the caller already holds the tenant's credentials. Any other
 * request (an unbound session, another tenant's path) takes the full path, so a tenant it may not
 * see still answers 404.
 */
@Injectable()
export class ThrottledTenantGuard implements CanActivate {
  constructor(
    private readonly throttled: ThrottledTenants,
    private readonly contexts: TenantContextService,
    private readonly reflector: Reflector,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (this.throttled.size === 0) return true;
    const principal = this.contexts.principal();
    if (principal === null || principal.platformAdmin || principal.tokenTenantId === null) return true;
    const tenantParam = pathParam(context.switchToHttp().getRequest<Request>(), 'tenantId');
    if (tenantParam?.toLowerCase() !== principal.tokenTenantId) return true;
    const isQuery = this.reflector.get<boolean>(COUNTS_AS_QUERY_KEY, context.getHandler()) === true;
    const throttle = this.throttled.find(principal.tokenTenantId, isQuery);
    if (throttle === null) return true;
    rateLimitRejections.inc({ code: throttle.code });
    throw new TooManyRequests(throttle.code, throttle.message, throttle.retryAfterMs / 1000);
  }
}
