import Bull from 'bull';
import { randomBytes } from 'node:crypto';
import { TEST_REDIS_URL } from '../../../../test/support/redis-availability';
import { BullJobQueue } from './bull-queue.adapter';
import { jobQueueContract } from './job-queue.contract';

// Each test gets a queue of its own name on the real Redis, removed when it closes.
class DisposableBullJobQueue extends BullJobQueue {
  constructor(private readonly bull: Bull.Queue) {
    super(bull);
  }

  override async close(): Promise<void> {
    await this.bull.obliterate({ force: true }).catch(() => undefined);
    await super.close();
  }
}

jobQueueContract(
  `bull (${TEST_REDIS_URL})`,
  async () =>
    new DisposableBullJobQueue(new Bull(`strata-test-${randomBytes(4).toString('hex')}`, TEST_REDIS_URL)),
  { skipReason: process.env.STRATA_REDIS_UNAVAILABLE },
);
