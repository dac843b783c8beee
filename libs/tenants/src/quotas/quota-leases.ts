import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { RateLimitStore } from '@strata/storage';

/** A lease takes at most this share of what is left of a window's requests… */
export const LEASE_SHARE = 8;
/** …and at most this many requests. */
export const MAX_REQUEST_LEASE = 64;
/** A replica keeps at most this many concurrency slots free in hand, and a share of the limit. */
export const MAX_SLOT_LEASE = 8;
/** Leased requests and free slots a replica has not needed for this long go back to the store. */
export const IDLE_RETURN_MS = 1_000;

interface WindowLease {
  windowSeconds: number;
  /** Requests counted in the store for this window and not admitted yet. */
  remaining: number;
  /** The size of the last lease taken (a refill starts when half of it is used). */
  size: number;
  windowEndsAt: number;
  /** The store's count after the last lease: how close the window is to its limit. */
  lastCount: number;
  /** The store refused (part of) the last lease: the window is full until it ends. */
  full: boolean;
  /** The limit the lease was taken under. */
  limit: number;
  lastUse: number;
  /** A store call in flight (a new lease, or leased requests going back). */
  pending: Promise<void> | null;
}

interface SlotLease {
  free: number;
  inUse: number;
  lastUse: number;
  pending: Promise<void> | null;
}

const slotLeaseSize = (limit: number) =>
  Math.max(1, Math.min(MAX_SLOT_LEASE, Math.floor(limit / LEASE_SHARE)));

/**
 * Per-minute counts and concurrency slots of tenant quotas, taken from the shared RateLimitStore
 * in leases rather than one request at a time, so that a request seldom waits on a round trip to
 * Redis. A lease is counted in the store before any request it admits: replicas together never
 * admit more than a limit. Leases are a small share of what is left (1/8 of a window's remaining
 * requests, 64 at most; 1/8 of the concurrency limit, 8 at most), so they shrink to a single
 * request as a limit nears and small limits are counted exactly. What a replica leased and has
 * not needed for a second goes back to the store, and so do its leased requests when the tenant's
 * limit changes; until then they count as used, which can refuse requests a little early when
 * several replicas serve a tenant near its limit.
 */
@Injectable()
export class QuotaLeases implements OnApplicationShutdown {
  private readonly windows = new Map<string, WindowLease>();
  private readonly slots = new Map<string, SlotLease>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly store: RateLimitStore) {
    this.sweeper = setInterval(() => void this.returnIdle(Date.now() - IDLE_RETURN_MS), IDLE_RETURN_MS);
    this.sweeper.unref();
  }

  /**
   * Counts one request on `key` against `limit` per window of `windowSeconds`: admitted or not,
   * and the milliseconds until the window resets.
   */
  async hit(
    key: string,
    windowSeconds: number,
    limit: number,
  ): Promise<{ admitted: boolean; resetInMs: number }> {
    for (;;) {
      const now = Date.now();
      const lease = this.windowLease(key, windowSeconds, limit, now);
      lease.lastUse = now;
      if (lease.remaining > 0) {
        lease.remaining--;
        if (lease.remaining * 2 < lease.size && !lease.full && lease.pending === null) {
          // Half of the lease is used: the next is taken while the rest admits requests.
          lease.pending = this.refillWindow(key, lease).catch(() => undefined);
        }
        return { admitted: true, resetInMs: lease.windowEndsAt - now };
      }
      if (lease.full) return { admitted: false, resetInMs: lease.windowEndsAt - now };
      lease.pending ??= this.refillWindow(key, lease);
      await lease.pending;
    }
  }

  /** Takes one of `limit` concurrency slots of `key`; false when all are taken. */
  async acquire(key: string, limit: number): Promise<boolean> {
    for (;;) {
      const lease = this.slotLease(key);
      lease.lastUse = Date.now();
      if (lease.free > 0) {
        lease.free--;
        lease.inUse++;
        return true;
      }
      if (lease.pending !== null) {
        await lease.pending;
        continue;
      }
      let granted = 0;
      lease.pending = (async () => {
        granted = await this.store.acquire(key, limit, slotLeaseSize(limit));
        lease.free += granted;
      })().finally(() => (lease.pending = null));
      await lease.pending;
      if (granted === 0 && lease.free === 0) return false;
    }
  }

  /** Gives back a slot taken with acquire; free slots beyond a lease's worth go back to the store. */
  release(key: string, limit: number): void {
    const lease = this.slots.get(key);
    if (lease === undefined || lease.inUse === 0) return;
    lease.inUse--;
    lease.free++;
    const surplus = lease.free - slotLeaseSize(limit);
    if (surplus > 0) {
      lease.free -= surplus;
      void this.store.release(key, surplus).catch(() => undefined);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.sweeper);
    await this.returnIdle(Infinity);
  }

  private windowLease(key: string, windowSeconds: number, limit: number, now: number): WindowLease {
    let lease = this.windows.get(key);
    if (lease === undefined || (lease.windowEndsAt <= now && lease.pending === null)) {
      lease = {
        windowSeconds,
        remaining: 0,
        size: 0,
        windowEndsAt: 0,
        lastCount: 0,
        full: false,
        limit,
        lastUse: now,
        pending: null,
      };
      this.windows.set(key, lease);
    } else if (lease.limit !== limit && lease.pending === null) {
      // The tenant's quota changed: what was leased under the old limit goes back first.
      lease.limit = limit;
      lease.full = false;
      void this.returnRequests(key, lease); // the caller waits on lease.pending
    }
    return lease;
  }

  private async refillWindow(key: string, lease: WindowLease): Promise<void> {
    try {
      const size = Math.max(
        1,
        Math.min(MAX_REQUEST_LEASE, Math.floor((lease.limit - lease.lastCount) / LEASE_SHARE)),
      );
      const { count, resetInMs } = await this.store.hit(key, lease.windowSeconds, size);
      const endsAt = Date.now() + resetInMs;
      // A lease from a new window: what was left of the old one was counted there, not here.
      if (endsAt > lease.windowEndsAt + 1_000) lease.remaining = 0;
      const granted = Math.max(0, Math.min(size, lease.limit - (count - size)));
      lease.remaining += granted;
      lease.size = granted;
      lease.windowEndsAt = endsAt;
      lease.lastCount = count;
      lease.full = granted < size;
    } finally {
      lease.pending = null;
    }
  }

  /** Gives the window's leased, unused requests back to the store. */
  private returnRequests(key: string, lease: WindowLease): Promise<void> {
    const unused = lease.remaining;
    if (unused === 0) return Promise.resolve();
    lease.remaining = 0;
    lease.lastCount -= unused;
    lease.pending = this.store
      .unhit(key, lease.windowSeconds, unused)
      .catch(() => undefined)
      .finally(() => (lease.pending = null));
    return lease.pending;
  }

  private slotLease(key: string): SlotLease {
    let lease = this.slots.get(key);
    if (lease === undefined) {
      lease = { free: 0, inUse: 0, lastUse: 0, pending: null };
      this.slots.set(key, lease);
    }
    return lease;
  }

  /** Gives back what leases not used since `before` hold, and forgets leases that hold nothing. */
  private async returnIdle(before: number): Promise<void> {
    const now = Date.now();
    const returns: Array<Promise<void>> = [];
    for (const [key, lease] of this.windows) {
      if (lease.pending !== null) continue;
      if (lease.windowEndsAt <= now) this.windows.delete(key);
      else if (lease.lastUse < before) returns.push(this.returnRequests(key, lease));
    }
    for (const [key, lease] of this.slots) {
      if (lease.lastUse >= before || lease.pending !== null) continue;
      if (lease.free > 0) {
        returns.push(this.store.release(key, lease.free).catch(() => undefined));
        lease.free = 0;
      }
      if (lease.inUse === 0) this.slots.delete(key);
    }
    await Promise.all(returns);
  }
}
