import { randomUUID } from 'node:crypto';
import { until } from '../../../../test/support/eventually';
import type { Job, JobQueue, LaneConcurrency } from './job-queue.port';

const lanes = (documents: number, graphs = 1): LaneConcurrency => ({ documents, graphs });

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
      await queue.consume(async (j) => void seen.push(j.targetId), lanes(2));
      const jobs = [job(), job(), job()];
      for (const j of jobs) await queue.enqueue(j);
      await until(() => seen.length === 3, 5_000);
      expect(seen.sort()).toEqual(jobs.map((j) => j.targetId).sort());
    });

    it('keeps one waiting job per key', async () => {
      const j = job();
      await queue.enqueue(j);
      await queue.enqueue({ ...j });
      await queue.enqueue({ ...j, type: 'graph', targetId: j.kbId! });
      expect(await queue.depth()).toBe(2);
      expect(await queue.depth('documents')).toBe(1);
      expect(await queue.depth('graphs')).toBe(1);
      const seen: string[] = [];
      await queue.consume(async (x) => void seen.push(x.targetId), lanes(1));
      await until(() => seen.length >= 2, 5_000);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(seen.sort()).toEqual([j.targetId, j.kbId].sort());
    });

    it("takes turns between tenants: one tenant's backlog does not hold back another's job", async () => {
      const busy = randomUUID();
      const quiet = randomUUID();
      for (let i = 0; i < 20; i++) await queue.enqueue({ ...job(), tenantId: busy });
      const theirs = { ...job(), tenantId: quiet };
      await queue.enqueue(theirs);
      const order: string[] = [];
      await queue.consume(async (j) => void order.push(j.targetId), lanes(1));
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
      }, lanes(2));
      for (let i = 0; i < 6; i++)
        await queue.enqueue({ ...job(i === 0 ? `0${randomUUID().slice(1)}` : randomUUID()), tenantId });
      await until(() => done === 6, 5_000);
      expect(peak).toBeLessThanOrEqual(2);
      expect(peak).toBeGreaterThan(0);
    });

    it("runs graph builds in a lane of their own: they take no document's slot, and wait only for each other", async () => {
      const tenantId = randomUUID();
      const running: Job[] = [];
      const endings = new Map<string, () => void>();
      await queue.consume(
        (j) =>
          new Promise<void>((resolve) => {
            running.push(j);
            endings.set(j.targetId, () => {
              running.splice(running.indexOf(j), 1);
              resolve();
            });
          }),
        lanes(2, 1),
      );
      const graphs = [randomUUID(), randomUUID()].map((kbId) => ({
        type: 'graph' as const,
        tenantId,
        kbId,
        targetId: kbId,
      }));
      for (const g of graphs) await queue.enqueue(g);
      await until(() => running.length === 1, 5_000);
      // Both document slots are free for the tenant's documents while its KB's graph builds.
      const documents = [job(), job(), job()].map((d) => ({ ...d, tenantId }));
      for (const d of documents) await queue.enqueue(d);
      await until(() => running.length === 3, 5_000);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(running.filter((j) => j.type === 'graph')).toHaveLength(1);
      expect(running.filter((j) => j.type === 'ingest')).toHaveLength(2);

      const first = running.find((j) => j.type === 'graph')!;
      endings.get(first.targetId)!();
      await until(() => running.some((j) => j.type === 'graph' && j !== first), 5_000);
      for (const j of [...running]) endings.get(j.targetId)!();
      await until(() => running.length === 1, 5_000); // the third document
      endings.get(running[0].targetId)!();
    });
  });
}
