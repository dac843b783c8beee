import Bull from 'bull';
import { randomBytes } from 'node:crypto';
import { TEST_REDIS_URL } from '../../../../test/support/redis-availability';
import { BullJobQueue } from './bull-queue.adapter';
import { jobQueueContract } from './job-queue.contract';

// Each test gets queues of their own names on the real Redis, removed when they close.
class DisposableBullJobQueue extends BullJobQueue {
  private readonly bulls: Bull.Queue[];

  constructor(name = `strata-test-${randomBytes(4).toString('hex')}`) {
    const documents = new Bull(name, TEST_REDIS_URL);
    const graphs = new Bull(`${name}-graphs`, TEST_REDIS_URL);
    super({ documents, graphs });
    this.bulls = [documents, graphs];
  }

  override async close(): Promise<void> {
    await Promise.all(this.bulls.map((bull) => bull.obliterate({ force: true }).catch(() => undefined)));
    await super.close();
  }
}

jobQueueContract(`bull (${TEST_REDIS_URL})`, async () => new DisposableBullJobQueue(), {
  skipReason: process.env.STRATA_REDIS_UNAVAILABLE,
});
