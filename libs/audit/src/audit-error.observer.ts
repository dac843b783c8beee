import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { ClsService } from 'nestjs-cls';
import { ErrorCode, ErrorObserver, parseIdOrSlug } from '@strata/core';
import { RateLimitStore } from '@strata/storage';
import { pathParam, TenantContextService, TenantLookup } from '@strata/tenancy';
import { AUDIT_ROUTE_KEY, AuditRoute } from './audit-route.guard';
import { AuditService } from './audit.service';

const DENIED = new Set([401, 403, 404]);
const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** The window over which one source's refusals without credentials are counted. */
export const ANONYMOUS_WINDOW_SECONDS = 60;

/** The 1st, 2nd, 4th, 8th… refusal of a window is recorded, with its count: log2(n) events for n. */
export const recordedRepeat = (count: number) => count > 0 && (count & (count - 1)) === 0;

/**
 * Records refused and failed requests on tenant routes: every 401/403/404 as `denied`, and other
 * failures of mutations as `error`. The event goes to the chain of the tenant the path names when
 * that tenant exists (so its admins see probing), else to the platform chain. Refusals of callers
 * without a valid credential are counted per source (address) and tenant path over
 * ANONYMOUS_WINDOW_SECONDS, and only the 1st, 2nd, 4th, 8th… is recorded, with `repeats`: anyone
 * can send them, and one event each let anyone fill any tenant's chain.
 */
@Injectable()
export class AuditErrorObserver extends ErrorObserver {
  constructor(
    private readonly audit: AuditService,
    private readonly contexts: TenantContextService,
    private readonly tenants: TenantLookup,
    private readonly cls: ClsService,
    private readonly counters: RateLimitStore,
  ) {
    super();
  }

  async observe(request: Request, status: number, code: ErrorCode): Promise<void> {
    const tenantParam = pathParam(request, 'tenantId');
    if (tenantParam === undefined) return;
    const outcome = DENIED.has(status) ? 'denied' : MUTATING.has(request.method) ? 'error' : null;
    if (outcome === null) return;

    let repeats: { repeats: number; window_seconds: number } | null = null;
    if (outcome === 'denied' && this.contexts.principal() === null) {
      const { count } = await this.counters.hit(
        `audit:anonymous:${request.ip}:${tenantParam.toLowerCase()}`,
        ANONYMOUS_WINDOW_SECONDS,
      );
      if (!recordedRepeat(count)) return;
      repeats = { repeats: count, window_seconds: ANONYMOUS_WINDOW_SECONDS };
    }
    const context = this.contexts.current();
    const route = this.cls.isActive() ? this.cls.get<AuditRoute | undefined>(AUDIT_ROUTE_KEY) : undefined;
    // Without a context, resolution refused the request: name the tenant from the path, if it exists.
    const ref = context === null ? parseIdOrSlug(tenantParam) : null;
    const tenantId = context?.tenantId ?? (ref ? ((await this.tenants.findTenant(ref))?.id ?? null) : null);
    const params = Object.values(request.params ?? {}).filter((v): v is string => typeof v === 'string');
    await this.audit.record({
      action: route?.action ?? 'route.unknown',
      outcome,
      tenantId,
      resourceType: route?.resourceType ?? null,
      resourceId: params.length > 1 ? params[params.length - 1].slice(0, 100) : null,
      details: { status, code, method: request.method, ...repeats },
    });
  }
}
