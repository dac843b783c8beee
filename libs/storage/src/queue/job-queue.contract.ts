import { randomUUID } from 'node:crypto';
import { until } from '../../../../test/support/eventually';
import type { Job, JobQueue } from './job-queue.port';

const job = (targetId: string = randomUUID()): Job => ({
  type: 'ingest',
  tenantId: randomUUID(),
  kbId: randomUUID(),
  targetId,
});

/** The behaviour every JobQueue adapter must have; each adapter's spec runs it. */
export function jobQueueContract(
  name: string,
  open: () => Promise<JobQueue>,
  options: { skipReason?: string } = {},
): void {
  const suite = options.skipReason ? describe.skip : describe;
  suite(`JobQueue contract: ${name}${options.skipReason ? ` (skipped: ${options.skipReason})` : ''}`, () => {
    let queue: JobQueue;
    beforeEach(async () => {
      queue = await open();
    });
    afterEach(() => queue.close());

    it('hands every enqueued job to the consumer, once', async () => {
      const seen: string[] = [];
      await queue.consume(async (j) => void seen.push(j.targetId), 2);
      const jobs = [job(), job(), job()];
      for (const j of jobs) await queue.enqueue(j);
      await until(() => seen.length === 3, 5_000);
      expect(seen.sort()).toEqual(jobs.map((j) => j.targetId).sort());
    });

    it('keeps one waiting job per key', async () => {
      const j = job();
      await queue.enqueue(j);
      await queue.enqueue({ ...j });
      expect(await queue.depth()).toBe(1);
      const seen: string[] = [];
      await queue.consume(async (x) => void seen.push(x.targetId), 1);
      await until(() => seen.length >= 1, 5_000);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(seen).toEqual([j.targetId]);
    });

    it("takes turns between tenants: one tenant's backlog does not hold back another's job", async () => {
      const busy = randomUUID();
      const quiet = randomUUID();
      for (let i = 0; i < 20; i++) await queue.enqueue({ ...job(), tenantId: busy });
      const theirs = { ...job(), tenantId: quiet };
      await queue.enqueue(theirs);
      const order: string[] = [];
      await queue.consume(async (j) => void order.push(j.targetId), 1);
      await until(() => order.length === 21, 10_000);
      expect(order.indexOf(theirs.targetId)).toBeLessThanOrEqual(2);
    });

    it("runs at most `concurrency` of a tenant's jobs at once, and a failing job does not stop the others", async () => {
      const tenantId = randomUUID();
      let running = 0;
      let peak = 0;
      let done = 0;
      await queue.consume(async (j) => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((resolve) => setTimeout(resolve, 30));
        running--;
        done++;
        if (j.targetId.startsWith('0')) throw new Error('boom');
      }, 2);
      for (let i = 0; i < 6; i++)
        await queue.enqueue({ ...job(i === 0 ? `0${randomUUID().slice(1)}` : randomUUID()), tenantId });
      await until(() => done === 6, 5_000);
      expect(peak).toBeLessThanOrEqual(2);
      expect(peak).toBeGreaterThan(0);
    });
  });
}
