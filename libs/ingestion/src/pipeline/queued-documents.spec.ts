import { randomUUID } from 'node:crypto';
import { InProcessJobQueue, type Job } from '@strata/storage';
import { IngestionActivity } from './ingestion-activity';
import { queuedDocumentsFlowed } from './queued-documents';

describe('queuedDocumentsFlowed', () => {
  const tenantId = randomUUID();
  const kbId = randomUUID();
  const document = (): Job => ({ type: 'ingest', tenantId, kbId, targetId: randomUUID() });
  let queue: InProcessJobQueue;
  let activity: IngestionActivity;
  /** Ends document jobs that `consume` started. */
  let running: Array<() => void>;

  beforeEach(async () => {
    queue = new InProcessJobQueue();
    activity = new IngestionActivity();
    running = [];
    await activity.during(async () => undefined); // a document just became searchable here
  });
  afterEach(async () => {
    running.forEach((finish) => finish());
    await queue.close();
  });

  const consumeDocuments = (slots: number) =>
    queue.consume(() => activity.during(() => new Promise<void>((resolve) => running.push(resolve))), {
      documents: slots,
      graphs: 1,
    });
  const elapsed = async (wait: Promise<void>) => {
    const started = Date.now();
    await wait;
    return Date.now() - started;
  };

  it('resolves at once when no document waits, whatever graph builds wait', async () => {
    await queue.enqueue({ type: 'graph', tenantId, kbId, targetId: kbId });
    expect(await elapsed(queuedDocumentsFlowed(queue, activity, 10_000))).toBeLessThan(1_000);
  });

  it('waits while queued documents flow, and goes on once every one has started', async () => {
    await consumeDocuments(1);
    for (let i = 0; i < 3; i++) await queue.enqueue(document());
    let settled = false;
    const waiting = queuedDocumentsFlowed(queue, activity, 10_000, 10).then(() => (settled = true));
    for (let i = 0; i < 2; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(settled).toBe(false);
      running.shift()!(); // one document settles, the next starts
    }
    await waiting;
    expect(await queue.depth('documents')).toBe(0);
  });

  it('goes on when the queued documents stop flowing here (a provider that does not answer)', async () => {
    await consumeDocuments(1);
    for (let i = 0; i < 3; i++) await queue.enqueue(document());
    const waited = await elapsed(queuedDocumentsFlowed(queue, activity, 10_000, 10));
    expect(waited).toBeLessThan(3_000); // a second after the last one settled, not the limit
    expect(await queue.depth('documents')).toBe(2);
  });

  it('gives up waiting after the limit', async () => {
    await consumeDocuments(1);
    for (let i = 0; i < 50; i++) await queue.enqueue(document());
    const flowing = setInterval(() => running.shift()?.(), 50); // documents keep settling
    try {
      const waited = await elapsed(queuedDocumentsFlowed(queue, activity, 150, 10));
      expect(waited).toBeGreaterThanOrEqual(140);
      expect(waited).toBeLessThan(1_000);
    } finally {
      clearInterval(flowing);
    }
  });
});
