import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import { ErrorCode, rateLimitRejections, TooManyRequests } from '@strata/core';
import { TenantContextService } from '@strata/tenancy';
import { QuotaLeases } from './quota-leases';
import { COUNTS_AS_QUERY_KEY } from './rate-limit.decorators';
import { ThrottledTenants } from './throttled-tenants';

const MINUTE = 60;

/**
 * Step 6 of the request path, for tenant routes: requests_per_minute, queries_per_minute (for
 * handlers marked @CountsAsQuery) and max_concurrent_requests, each answering 429 with
 * Retry-After. Counters live in the RateLimitStore, so replicas sharing Redis share the limits;
 * they are taken in leases (QuotaLeases), so most requests are counted without a round trip.
 * Platform admins are exempt.
 */
@Injectable()
export class TenantRateLimitGuard implements CanActivate {
  constructor(
    private readonly leases: QuotaLeases,
    private readonly contexts: TenantContextService,
    private readonly reflector: Reflector,
    private readonly throttled: ThrottledTenants,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const tenant = this.contexts.current();
    // Operators are not throttled by the tenant they are repairing.
    if (tenant === null || tenant.principal.platformAdmin) return true;
    const { quotas, tenantId } = tenant;

    await this.perMinute(tenantId, 'rpm', quotas.requests_per_minute, 'requests');
    if (this.reflector.get<boolean>(COUNTS_AS_QUERY_KEY, context.getHandler())) {
      await this.perMinute(tenantId, 'qpm', quotas.queries_per_minute, 'queries');
    }

    const slotKey = `conc:${tenantId}`;
    const slots = quotas.max_concurrent_requests;
    if (!(await this.leases.acquire(slotKey, slots))) {
      rateLimitRejections.inc({ code: ErrorCode.QUOTA_CONCURRENT_REQUESTS_EXCEEDED });
      throw new TooManyRequests(
        ErrorCode.QUOTA_CONCURRENT_REQUESTS_EXCEEDED,
        `The tenant's limit of ${quotas.max_concurrent_requests} concurrent requests is reached`,
        1,
      );
    }
    const response = context.switchToHttp().getResponse<Response>();
    response.once('close', () => this.leases.release(slotKey, slots));
    return true;
  }

  private async perMinute(
    tenantId: string,
    counter: 'rpm' | 'qpm',
    limit: number,
    what: 'requests' | 'queries',
  ): Promise<void> {
    const { admitted, resetInMs } = await this.leases.hit(`${counter}:${tenantId}`, MINUTE, limit);
    if (!admitted) {
      const code =
        counter === 'rpm'
          ? ErrorCode.QUOTA_REQUESTS_PER_MINUTE_EXCEEDED
          : ErrorCode.QUOTA_QUERIES_PER_MINUTE_EXCEEDED;
      const message = `The tenant's limit of ${limit} ${what} per minute is reached`;
      this.throttled.mark(tenantId, {
        code,
        message,
        queriesOnly: counter === 'qpm',
        retryAfterMs: resetInMs,
      });
      rateLimitRejections.inc({ code });
      throw new TooManyRequests(code, message, resetInMs / 1000);
    }
  }
}
