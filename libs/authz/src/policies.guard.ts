import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ErrorCode, Forbidden, Unauthenticated } from '@strata/core';
import { TenantContextService } from '@strata/tenancy';
import { defineAbility } from './ability';
import { CHECK_POLICIES_KEY, IS_PUBLIC_KEY, PolicyHandler } from './policies.decorator';

/**
 * Step 5 of the request path: builds the CASL ability from the principal and TenantContext and
 * runs the handler's policies. Default deny: a handler that declares no policy is refused.
 */
@Injectable()
export class PoliciesGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly contexts: TenantContextService,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, targets)) return true;

    const policies = this.reflector.get<PolicyHandler[] | undefined>(
      CHECK_POLICIES_KEY,
      context.getHandler(),
    );
    if (!policies || policies.length === 0) {
      throw new Forbidden(ErrorCode.NO_POLICY, 'This route declares no access policy');
    }
    const principal = this.contexts.principal();
    if (principal === null) throw new Unauthenticated();
    const tenantContext = this.contexts.current();
    const ability = defineAbility(principal, tenantContext);
    if (!policies.every((policy) => policy(ability, tenantContext))) throw new Forbidden();
    return true;
  }
}
