import { MemoryRateLimitStore } from '@strata/storage';
import { MAX_REQUEST_LEASE, MAX_SLOT_LEASE, QuotaLeases, IDLE_RETURN_MS } from './quota-leases';

/** The in-memory store, counting the calls that would be round trips to Redis. */
class CountingStore extends MemoryRateLimitStore {
  calls = 0;
  override hit(key: string, windowSeconds: number, amount?: number) {
    this.calls++;
    return super.hit(key, windowSeconds, amount);
  }
  override acquire(key: string, limit: number, amount?: number) {
    this.calls++;
    return super.acquire(key, limit, amount);
  }
}

describe('QuotaLeases', () => {
  let store: CountingStore;
  const replicas: QuotaLeases[] = [];
  const replica = () => {
    const leases = new QuotaLeases(store);
    replicas.push(leases);
    return leases;
  };

  beforeEach(() => {
    store = new CountingStore();
  });
  afterEach(async () => {
    for (const leases of replicas.splice(0)) await leases.onApplicationShutdown();
    await store.close();
  });

  it('admits exactly the limit in a window, asking the store far less than once a request', async () => {
    const leases = replica();
    let admitted = 0;
    for (let i = 0; i < 1_200; i++) if ((await leases.hit('rpm:t', 60, 1_000)).admitted) admitted++;
    expect(admitted).toBe(1_000);
    // Leases of up to MAX_REQUEST_LEASE while far from the limit, single requests near it.
    expect(store.calls).toBeLessThan(200);
    expect(store.calls).toBeGreaterThanOrEqual(Math.ceil(1_000 / MAX_REQUEST_LEASE));
  });

  it('never admits more than the limit across replicas sharing the store', async () => {
    const [first, second] = [replica(), replica()];
    let admitted = 0;
    for (let i = 0; i < 400; i++) {
      const leases = i % 2 === 0 ? first : second;
      if ((await leases.hit('rpm:t', 60, 150)).admitted) admitted++;
    }
    // Both stay busy to the end, so neither leaves leased requests unused.
    expect(admitted).toBe(150);
  });

  it('counts a small limit request by request: the first six of eight, across two replicas', async () => {
    const [first, second] = [replica(), replica()];
    const outcomes: boolean[] = [];
    for (let i = 0; i < 8; i++)
      outcomes.push((await (i % 2 === 0 ? first : second).hit('rpm:t', 60, 6)).admitted);
    expect(outcomes).toEqual([true, true, true, true, true, true, false, false]);
  });

  it('admits requests arriving together no more than the limit', async () => {
    const leases = replica();
    const results = await Promise.all(Array.from({ length: 300 }, () => leases.hit('rpm:t', 60, 100)));
    expect(results.filter((r) => r.admitted)).toHaveLength(100);
    expect(results.every((r) => r.resetInMs > 0 && r.resetInMs <= 60_000)).toBe(true);
  });

  it('admits again in the next window', async () => {
    const leases = replica();
    for (let i = 0; i < 3; i++) await leases.hit('rpm:t', 1, 2);
    expect((await leases.hit('rpm:t', 1, 2)).admitted).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect((await leases.hit('rpm:t', 1, 2)).admitted).toBe(true);
  });

  it('follows a changed limit within the window, giving back what it leased under the old one', async () => {
    const leases = replica();
    expect((await leases.hit('rpm:t', 60, 1_000)).admitted).toBe(true);
    expect((await store.peek('rpm:t', 60)).count).toBeGreaterThan(1); // counted ahead
    // Lowered to 3: only the one request made counts, so two more are admitted.
    const outcomes: boolean[] = [];
    for (let i = 0; i < 4; i++) outcomes.push((await leases.hit('rpm:t', 60, 3)).admitted);
    expect(outcomes).toEqual([true, true, false, false]);
    // Raised again: admits again.
    expect((await leases.hit('rpm:t', 60, 10)).admitted).toBe(true);
  });

  it('gives back leased requests it has not needed for a while', async () => {
    const leases = replica();
    await leases.hit('rpm:t', 60, 1_000);
    expect((await store.peek('rpm:t', 60)).count).toBeGreaterThan(1);
    await new Promise((resolve) => setTimeout(resolve, IDLE_RETURN_MS * 2 + 100));
    expect((await store.peek('rpm:t', 60)).count).toBe(1);
  });

  it('keeps the tenants apart', async () => {
    const leases = replica();
    for (let i = 0; i < 3; i++) await leases.hit('rpm:a', 60, 2);
    expect((await leases.hit('rpm:a', 60, 2)).admitted).toBe(false);
    expect((await leases.hit('rpm:b', 60, 2)).admitted).toBe(true);
  });

  describe('concurrency slots', () => {
    it('never hands out more than the limit across replicas, and a released slot serves again', async () => {
      const [first, second] = [replica(), replica()];
      const taken = [];
      for (let i = 0; i < 6; i++) taken.push(await (i % 2 === 0 ? first : second).acquire('conc:t', 4));
      expect(taken.filter(Boolean)).toHaveLength(4);
      first.release('conc:t', 4);
      expect(await first.acquire('conc:t', 4)).toBe(true);
      expect(await first.acquire('conc:t', 4)).toBe(false);
    });

    it('takes slots in leases and gives surplus back to the store', async () => {
      const leases = replica();
      for (let i = 0; i < 40; i++) expect(await leases.acquire('conc:t', 64)).toBe(true);
      expect(store.calls).toBe(40 / MAX_SLOT_LEASE);
      for (let i = 0; i < 40; i++) leases.release('conc:t', 64);
      // Released slots beyond one lease's worth went back: another replica may take them all.
      const other = replica();
      let granted = 0;
      while (await other.acquire('conc:t', 64)) granted++;
      expect(granted).toBe(64 - MAX_SLOT_LEASE);
    });

    it('gives back free slots it has not needed for a while', async () => {
      const leases = replica();
      expect(await leases.acquire('conc:t', 2)).toBe(true);
      leases.release('conc:t', 2);
      const other = replica();
      expect(await other.acquire('conc:t', 2)).toBe(true);
      expect(await other.acquire('conc:t', 2)).toBe(false); // one is still free in the first replica
      await new Promise((resolve) => setTimeout(resolve, IDLE_RETURN_MS * 2 + 100));
      expect(await other.acquire('conc:t', 2)).toBe(true);
    });
  });
});
