import { randomUUID } from 'node:crypto';
import { until } from '../../../../test/support/eventually';
import { InProcessJobQueue } from './in-process-queue.adapter';
import type { Job, JobType } from './job-queue.port';
import { jobQueueContract } from './job-queue.contract';

jobQueueContract('in-process', async () => new InProcessJobQueue());

describe('InProcessJobQueue slots', () => {
  const jobOf = (tenantId: string, type: JobType = 'ingest'): Job => ({
    type,
    tenantId,
    kbId: randomUUID(),
    targetId: randomUUID(),
  });
  const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

  let queue: InProcessJobQueue;
  let started: Job[];
  let endings: Map<Job, () => void>;
  /** Ends a started job (the oldest still running of `tenantId` and `type`). */
  const finish = (tenantId: string, type: JobType = 'ingest') => {
    const job = [...endings.keys()].find((j) => j.tenantId === tenantId && j.type === type)!;
    endings.get(job)!();
    endings.delete(job);
  };

  /** A queue running `concurrency` documents and one graph build at once; jobs run until `finish` ends them. */
  async function openQueue(concurrency: number) {
    queue = new InProcessJobQueue();
    started = [];
    endings = new Map();
    await queue.consume(
      (job) =>
        new Promise<void>((resolve) => {
          started.push(job);
          endings.set(job, resolve);
        }),
      { documents: concurrency, graphs: 1 },
    );
  }

  afterEach(async () => {
    [...endings.values()].forEach((end) => end());
    await queue.close();
  });

  it('starts the job of a tenant with nothing running at once, though every slot is taken', async () => {
    await openQueue(2);
    const [bulk, small, third] = [randomUUID(), randomUUID(), randomUUID()];
    for (let i = 0; i < 5; i++) await queue.enqueue(jobOf(bulk));
    await until(() => started.length === 2, 1_000);

    await queue.enqueue(jobOf(small));
    await until(() => started.length === 3, 1_000);
    expect(started.map((j) => j.tenantId)).toEqual([bulk, bulk, small]);

    // One slot beyond the two, no more: a third tenant waits for a slot like anyone.
    await queue.enqueue(jobOf(third));
    await settle();
    expect(started).toHaveLength(3);
    finish(bulk); // two run again, so the extra slot is free: the third tenant's turn
    await until(() => started.length === 4, 1_000);
    expect(started[3].tenantId).toBe(third);
    await settle();
    expect(started).toHaveLength(4); // and none for the bulk tenant, which still runs one
  });

  it('starts documents beside graph builds, and newcomers among documents only', async () => {
    await openQueue(1);
    const [a, b] = [randomUUID(), randomUUID()];
    await queue.enqueue(jobOf(a, 'graph'));
    await queue.enqueue(jobOf(b, 'graph'));
    await until(() => started.length === 1, 1_000);

    await queue.enqueue(jobOf(a)); // the documents lane's one slot
    await queue.enqueue(jobOf(b)); // b runs no document job: the newcomer slot
    await until(() => started.length === 3, 1_000);
    await settle();
    expect(started.map((j) => [j.tenantId, j.type])).toEqual([
      [a, 'graph'],
      [a, 'ingest'],
      [b, 'ingest'],
    ]); // b's graph build waits for the graph lane's one slot, not for a newcomer's

    finish(a, 'graph');
    await until(() => started.length === 4, 1_000);
    expect([started[3].tenantId, started[3].type]).toEqual([b, 'graph']);
  });
});
