import { randomUUID } from 'node:crypto';
import type { RateLimitStore } from './rate-limits.port';

/** The behaviour every RateLimitStore adapter must have; each adapter's spec runs it. */
export function rateLimitStoreContract(
  name: string,
  open: () => Promise<RateLimitStore>,
  options: { skipReason?: string } = {},
): void {
  const suite = options.skipReason ? describe.skip : describe;
  const title = `RateLimitStore contract: ${name}${options.skipReason ? ` (skipped: ${options.skipReason})` : ''}`;
  suite(title, () => {
    let store: RateLimitStore;
    beforeAll(async () => {
      store = await open();
    });
    afterAll(() => store.close());

    it('counts hits per key within a window', async () => {
      const key = randomUUID();
      expect((await store.hit(key, 60)).count).toBe(1);
      expect((await store.hit(key, 60)).count).toBe(2);
      const third = await store.hit(key, 60);
      expect(third.count).toBe(3);
      expect(third.resetInMs).toBeGreaterThan(0);
      expect(third.resetInMs).toBeLessThanOrEqual(60_000);
      expect((await store.hit(randomUUID(), 60)).count).toBe(1);
    });

    it('peeks without counting, and resets', async () => {
      const key = randomUUID();
      expect((await store.peek(key, 60)).count).toBe(0);
      await store.hit(key, 60);
      await store.hit(key, 60);
      expect((await store.peek(key, 60)).count).toBe(2);
      expect((await store.peek(key, 60)).count).toBe(2);
      await store.reset(key, 60);
      expect((await store.peek(key, 60)).count).toBe(0);
      expect((await store.hit(key, 60)).count).toBe(1);
    });

    it('starts a new window once the old one ends', async () => {
      const key = randomUUID();
      await store.hit(key, 1);
      await store.hit(key, 1);
      await new Promise((r) => setTimeout(r, 1100));
      expect((await store.hit(key, 1)).count).toBe(1);
    });

    it('counts several hits at once, and takes some back', async () => {
      const key = randomUUID();
      expect((await store.hit(key, 60, 5)).count).toBe(5);
      expect((await store.hit(key, 60)).count).toBe(6);
      expect((await store.hit(key, 60, 10)).count).toBe(16);
      await store.unhit(key, 60, 7);
      expect((await store.peek(key, 60)).count).toBe(9);
      expect((await store.hit(key, 60)).count).toBe(10);
    });

    it('hands out at most `limit` slots and takes back released ones', async () => {
      const key = randomUUID();
      expect(await store.acquire(key, 2)).toBe(1);
      expect(await store.acquire(key, 2)).toBe(1);
      expect(await store.acquire(key, 2)).toBe(0);
      await store.release(key);
      expect(await store.acquire(key, 2)).toBe(1);
      await store.release(key);
      await store.release(key);
      await store.release(key);
      expect(await store.acquire(key, 1)).toBe(1);
    });

    it('hands out several slots at once, as many as are free, and takes several back', async () => {
      const key = randomUUID();
      expect(await store.acquire(key, 10, 4)).toBe(4);
      expect(await store.acquire(key, 10, 4)).toBe(4);
      expect(await store.acquire(key, 10, 4)).toBe(2);
      expect(await store.acquire(key, 10, 4)).toBe(0);
      await store.release(key, 3);
      expect(await store.acquire(key, 10, 4)).toBe(3);
      await store.release(key, 50);
      expect(await store.acquire(key, 10, 20)).toBe(10);
    });

    it('answers a ping', async () => {
      expect(await store.ping()).toBe(true);
    });
  });
}
