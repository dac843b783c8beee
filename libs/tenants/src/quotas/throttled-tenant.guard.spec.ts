import { Controller, ExecutionContext, Get } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError, ErrorCode } from '@strata/core';
import type { Principal, TenantContextService } from '@strata/tenancy';
import { CountsAsQuery } from './rate-limit.decorators';
import { ThrottledTenantGuard } from './throttled-tenant.guard';
import { ThrottledTenants } from './throttled-tenants';

@Controller()
class Probe {
  @Get() read() {}
  @Get() @CountsAsQuery() query() {}
}

const TENANT = '01900000-0000-7000-8000-00000000000a';
const OTHER = '01900000-0000-7000-8000-00000000000b';
const apiKey: Principal = {
  type: 'api_key',
  id: 'k',
  platformAdmin: false,
  tokenTenantId: TENANT,
  role: 'viewer',
  kbIds: null,
  permissions: { create_kb: false, delete_documents: false, run_queries: true },
};

function attempt(
  throttled: ThrottledTenants,
  who: Principal | null,
  tenantParam: string,
  handler: keyof Probe = 'read',
): true | string {
  const contexts = { principal: () => who } as unknown as TenantContextService;
  const guard = new ThrottledTenantGuard(throttled, contexts, new Reflector());
  const context = {
    getHandler: () => Probe.prototype[handler],
    switchToHttp: () => ({ getRequest: () => ({ params: { tenantId: tenantParam } }) }),
  } as unknown as ExecutionContext;
  try {
    return guard.canActivate(context) as true;
  } catch (error) {
    const domain = error as DomainError;
    return `${domain.status} ${domain.code} ${domain.headers?.['Retry-After']}`;
  }
}

describe('ThrottledTenantGuard', () => {
  const throttledTenant = (queriesOnly = false) => {
    const throttled = new ThrottledTenants();
    throttled.mark(TENANT, {
      code: queriesOnly
        ? ErrorCode.QUOTA_QUERIES_PER_MINUTE_EXCEEDED
        : ErrorCode.QUOTA_REQUESTS_PER_MINUTE_EXCEEDED,
      message: 'over',
      queriesOnly,
      retryAfterMs: 12_300,
    });
    return throttled;
  };

  it("refuses a principal bound to the throttled tenant on that tenant's path, with Retry-After", () => {
    expect(attempt(throttledTenant(), apiKey, TENANT)).toBe('429 QUOTA_REQUESTS_PER_MINUTE_EXCEEDED 13');
    expect(attempt(throttledTenant(), apiKey, TENANT.toUpperCase())).toMatch(/^429 /);
  });

  it('lets through what must take the full path: other tenants, unbound sessions, platform admins, no principal', () => {
    const throttled = throttledTenant();
    expect(attempt(throttled, { ...apiKey, tokenTenantId: OTHER }, OTHER)).toBe(true);
    expect(attempt(throttled, { ...apiKey, tokenTenantId: OTHER }, TENANT)).toBe(true);
    const session: Principal = {
      type: 'user',
      id: 'u',
      email: 'u@x',
      platformAdmin: false,
      tokenTenantId: null,
      sessionId: null,
      signInMethod: null,
    };
    expect(attempt(throttled, session, TENANT)).toBe(true);
    expect(attempt(throttled, { ...session, tokenTenantId: TENANT }, TENANT)).toMatch(/^429 /);
    expect(attempt(throttled, { ...session, tokenTenantId: TENANT, platformAdmin: true }, TENANT)).toBe(true);
    expect(attempt(throttled, null, TENANT)).toBe(true);
  });

  it('refuses only query routes for a queries_per_minute throttle', () => {
    expect(attempt(throttledTenant(true), apiKey, TENANT, 'read')).toBe(true);
    expect(attempt(throttledTenant(true), apiKey, TENANT, 'query')).toMatch(
      /^429 QUOTA_QUERIES_PER_MINUTE_EXCEEDED/,
    );
  });

  it('lets everything through when no tenant is throttled', () =>
    expect(attempt(new ThrottledTenants(), apiKey, TENANT)).toBe(true));
});
