import { Controller, ExecutionContext, Get } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError } from '@strata/core';
import { Principal, TenantContextService } from '@strata/tenancy';
import { anyAuthenticated, CheckPolicies, Public } from './policies.decorator';
import { PoliciesGuard } from './policies.guard';

@Controller()
class Probe {
  @Get() @Public() open() {}
  @Get() @CheckPolicies(anyAuthenticated) anyone() {}
  @Get() @CheckPolicies((ability) => ability.can('create', 'Tenant')) adminsOnly() {}
  @Get() forgotten() {}
}

const principal: Principal = {
  type: 'user',
  id: 'u',
  email: 'u@x',
  platformAdmin: false,
  tokenTenantId: null,
  sessionId: null,
  signInMethod: null,
};

function check(handler: keyof Probe, who: Principal | null = principal): true | string {
  const contexts = { principal: () => who, current: () => null } as unknown as TenantContextService;
  const guard = new PoliciesGuard(new Reflector(), contexts);
  const context = {
    getHandler: () => Probe.prototype[handler],
    getClass: () => Probe,
  } as unknown as ExecutionContext;
  try {
    return guard.canActivate(context) as true;
  } catch (error) {
    return `${(error as DomainError).status} ${(error as DomainError).code}`;
  }
}

describe('PoliciesGuard', () => {
  it('lets public handlers through without a principal', () => expect(check('open', null)).toBe(true));
  it('runs the declared policies', () => {
    expect(check('anyone')).toBe(true);
    expect(check('adminsOnly')).toBe('403 FORBIDDEN');
    expect(check('adminsOnly', { ...principal, platformAdmin: true })).toBe(true);
  });
  it('refuses a handler with no policy (default deny)', () =>
    expect(check('forgotten')).toBe('403 NO_POLICY'));
  it('refuses a protected handler when no one is authenticated', () =>
    expect(check('anyone', null)).toBe('401 UNAUTHENTICATED'));
});
