import { InProcessJobQueue } from './in-process-queue.adapter';
import { jobQueueContract } from './job-queue.contract';

jobQueueContract('in-process', async () => new InProcessJobQueue());
