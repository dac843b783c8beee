import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { AuthGuard } from '@nestjs/passport';
import { Unauthenticated } from '@strata/core';
import { IS_PUBLIC_KEY } from '@strata/authz';
import { Principal, TenantContextService } from '@strata/tenancy';

/**
 * Step 2 of the request path: every route needs a valid credential (an API key or a JWT) unless
 * marked @Public().
 * Any failure is the same 401, with nothing said about which part failed; so is a request that
 * presents two credentials.
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard(['api-key', 'jwt']) {
  constructor(
    private readonly reflector: Reflector,
    private readonly contexts: TenantContextService,
  ) {
    super();
  }

  override canActivate(context: ExecutionContext) {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic) return true;
    // Two credentials (an X-API-Key beside an Authorization header) are refused rather than
    // weighed: either strategy alone would accept its own and ignore a bad other.
    const request = context.switchToHttp().getRequest<Request>();
    if (request.header('x-api-key') !== undefined && request.header('authorization') !== undefined)
      throw new Unauthenticated();
    return super.canActivate(context);
  }

  override handleRequest<T = Principal>(error: unknown, principal: T | false): T {
    if (error || !principal) throw new Unauthenticated();
    this.contexts.setPrincipal(principal as unknown as Principal);
    return principal;
  }
}
