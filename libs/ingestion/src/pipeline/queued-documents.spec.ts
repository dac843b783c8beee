import { randomUUID } from 'node:crypto';
import { InProcessJobQueue, type Job } from '@strata/storage';
import { queuedDocumentsStarted } from './queued-documents';

describe('queuedDocumentsStarted', () => {
  const tenantId = randomUUID();
  const kbId = randomUUID();
  const document = (): Job => ({ type: 'ingest', tenantId, kbId, targetId: randomUUID() });
  let queue: InProcessJobQueue;

  beforeEach(() => {
    queue = new InProcessJobQueue();
  });
  afterEach(() => queue.close());

  it('resolves at once when no document waits, whatever graph builds wait', async () => {
    await queue.enqueue({ type: 'graph', tenantId, kbId, targetId: kbId });
    const started = Date.now();
    await queuedDocumentsStarted(queue, 10_000);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('waits while documents wait, and goes on once they have started', async () => {
    await queue.enqueue(document());
    await queue.enqueue(document());
    let settled = false;
    const waiting = queuedDocumentsStarted(queue, 10_000, 10).then(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(settled).toBe(false);

    const running: Array<() => void> = [];
    await queue.consume(() => new Promise<void>((resolve) => running.push(resolve)), {
      documents: 2,
      graphs: 1,
    });
    await waiting;
    expect(await queue.depth('documents')).toBe(0);
    running.forEach((finish) => finish());
  });

  it('gives up waiting after the limit', async () => {
    await queue.enqueue(document()); // nothing consumes it
    const started = Date.now();
    await queuedDocumentsStarted(queue, 150, 10);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(await queue.depth('documents')).toBe(1);
  });
});
