import { Injectable } from '@nestjs/common';
import { ErrorCode } from '@strata/core';

/** Which per-minute limit a tenant is over, and until when (epoch ms). */
interface Throttle {
  code: ErrorCode;
  message: string;
  /** Only query routes are refused (queries_per_minute), or every route (requests_per_minute). */
  queriesOnly: boolean;
  until: number;
}

/** Tenants remembered at most; the oldest is forgotten first (one replica rarely sees more at once). */
export const MAX_THROTTLED_TENANTS = 10_000;

/**
 * The tenants this process has just answered 429 for a per-minute limit, until their window
 * resets, so that ThrottledTenantGuard can refuse their next requests before tenant resolution
 * reads the database: a tenant hammering over its limit then costs the others as little as
 * possible. Bounded and self-expiring; each replica learns of a throttled tenant from its own
 * first refusal, and the Redis counters stay the source of truth.
 */
@Injectable()
export class ThrottledTenants {
  private readonly throttles = new Map<string, Throttle>();

  mark(tenantId: string, throttle: Omit<Throttle, 'until'> & { retryAfterMs: number }): void {
    const { retryAfterMs, ...rest } = throttle;
    const existing = this.throttles.get(tenantId);
    // A requests_per_minute throttle covers queries too; keep the wider one while both hold.
    if (existing && existing.until > Date.now() && !existing.queriesOnly && rest.queriesOnly) return;
    this.throttles.delete(tenantId);
    this.throttles.set(tenantId, { ...rest, until: Date.now() + retryAfterMs });
    if (this.throttles.size > MAX_THROTTLED_TENANTS) {
      this.throttles.delete(this.throttles.keys().next().value!);
    }
  }

  /** The throttle that refuses this request now, if any. */
  find(tenantId: string, isQuery: boolean): (Throttle & { retryAfterMs: number }) | null {
    const throttle = this.throttles.get(tenantId);
    if (throttle === undefined) return null;
    const retryAfterMs = throttle.until - Date.now();
    if (retryAfterMs <= 0) {
      this.throttles.delete(tenantId);
      return null;
    }
    if (throttle.queriesOnly && !isQuery) return null;
    return { ...throttle, retryAfterMs };
  }

  /** Forgets a tenant, e.g. when its quotas change. */
  forget(tenantId: string): void {
    this.throttles.delete(tenantId);
  }

  get size(): number {
    return this.throttles.size;
  }
}
