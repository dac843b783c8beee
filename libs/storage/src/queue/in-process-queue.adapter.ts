import { Logger } from '@nestjs/common';
import { Job, JobHandler, jobKey, JobLane, JobQueue, LaneConcurrency, laneOf } from './job-queue.port';

/**
 * Document jobs that may run beyond the documents lane's slots, each of a tenant running no
 * document job. A started job does not give way: without it, a tenant's single document waited
 * for a slot held by another tenant's bulk upload.
 */
const NEWCOMER_SLOTS = 1;

/**
 * One lane's waiting jobs per tenant, in the order tenants take turns (a tenant with none leaves),
 * and its running jobs per tenant.
 */
class Lane {
  readonly waiting = new Map<string, Job[]>();
  private readonly runningByTenant = new Map<string, number>();
  running = 0;

  constructor(
    readonly name: JobLane,
    public concurrency = 1,
  ) {}

  add(job: Job): void {
    const line = this.waiting.get(job.tenantId);
    if (line) line.push(job);
    else this.waiting.set(job.tenantId, [job]);
  }

  /** The tenant's next job; the tenant then goes to the back of the turns. */
  take(tenantId: string): Job {
    const line = this.waiting.get(tenantId)!;
    const job = line.shift()!;
    this.waiting.delete(tenantId);
    if (line.length > 0) this.waiting.set(tenantId, line);
    return job;
  }

  /** The first waiting tenant (whose turn it is). */
  firstTenant(): string | undefined {
    return this.waiting.keys().next().value;
  }

  /** Counts a job of the lane as running (+1) or over (-1). */
  count(job: Job, change: 1 | -1): void {
    this.running += change;
    const running = (this.runningByTenant.get(job.tenantId) ?? 0) + change;
    if (running > 0) this.runningByTenant.set(job.tenantId, running);
    else this.runningByTenant.delete(job.tenantId);
  }

  runs(tenantId: string): boolean {
    return this.runningByTenant.has(tenantId);
  }
}

/**
 * The queue of the embedded default: jobs wait in this process's memory. Losing them in a crash
 * is fine, because the recovery sweep rebuilds the work from the database at start. Each lane
 * (documents, graph builds) has its own slots and each tenant its own line in it; the next job
 * comes from the next tenant in turn, so one tenant's bulk upload does not hold back another
 * tenant's document; and a tenant with no document in work does not wait for a slot either (see
 * NEWCOMER_SLOTS).
 */
export class InProcessJobQueue extends JobQueue {
  readonly description = 'in-process';
  private readonly logger = new Logger('InProcessJobQueue');
  private readonly lanes: Record<JobLane, Lane> = {
    documents: new Lane('documents'),
    graphs: new Lane('graphs'),
  };
  private readonly waitingKeys = new Set<string>();
  private readonly running = new Set<Promise<void>>();
  private handler: JobHandler | null = null;
  private closed = false;

  async enqueue(job: Job): Promise<void> {
    if (this.closed) return;
    const key = jobKey(job);
    if (this.waitingKeys.has(key)) return;
    this.waitingKeys.add(key);
    this.lanes[laneOf(job)].add(job);
    this.pump();
  }

  async consume(handler: JobHandler, concurrency: LaneConcurrency): Promise<void> {
    this.handler = handler;
    this.lanes.documents.concurrency = concurrency.documents;
    this.lanes.graphs.concurrency = concurrency.graphs;
    this.pump();
  }

  async depth(lane?: JobLane): Promise<number> {
    if (lane === undefined) return this.waitingKeys.size;
    let waiting = 0;
    for (const line of this.lanes[lane].waiting.values()) waiting += line.length;
    return waiting;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const lane of Object.values(this.lanes)) lane.waiting.clear();
    this.waitingKeys.clear();
    await Promise.allSettled([...this.running]);
  }

  /**
   * The lane's job to start now, if any: within its slots, the first of the tenant whose turn it
   * is; for documents past them, within the newcomer slots, the first of a tenant running none.
   */
  private next(lane: Lane): Job | null {
    const first = lane.firstTenant();
    if (first === undefined) return null;
    if (lane.running < lane.concurrency) return lane.take(first);
    if (lane.name === 'graphs' || lane.running >= lane.concurrency + NEWCOMER_SLOTS) return null;
    for (const tenantId of lane.waiting.keys()) {
      if (!lane.runs(tenantId)) return lane.take(tenantId);
    }
    return null;
  }

  private pump(): void {
    if (!this.handler || this.closed) return;
    for (const lane of Object.values(this.lanes)) {
      for (let job = this.next(lane); job !== null; job = this.next(lane)) this.start(lane, job);
    }
  }

  private start(lane: Lane, job: Job): void {
    this.waitingKeys.delete(jobKey(job));
    lane.count(job, +1);
    const run = this.handler!(job)
      .catch((error: unknown) => this.logger.error(`job ${jobKey(job)} failed: ${(error as Error).message}`))
      .finally(() => {
        this.running.delete(run);
        lane.count(job, -1);
        // Let the current tick finish before the next job starts.
        setImmediate(() => this.pump());
      });
    this.running.add(run);
  }
}
