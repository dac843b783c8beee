/**
 * Work the queue signals. The database holds the truth (document status, purge rows): a job only
 * says "look at this now", so a lost or repeated job is harmless.
 */
export type JobType = 'ingest' | 'graph' | 'delete-documents' | 'purge';

export interface Job {
  type: JobType;
  tenantId: string;
  kbId: string | null;
  /** The document (ingest), KB (graph, delete-documents) or purge row (purge) the job is about. */
  targetId: string;
  /**
   * Set when work is taken over from a process that died: makes the job distinct from the dead
   * process's job, which the queue may still hold as running.
   */
  takeover?: number;
}

export type JobHandler = (job: Job) => Promise<void>;

/**
 * Jobs run in two lanes, each with its own slots: a KB's graph build runs for as long as its KB
 * has documents waiting for the graph, and in a shared lane it held a slot documents needed to
 * become searchable (with two slots, one document at a time during a bulk upload; on a worker,
 * none while two KBs built their graphs).
 */
export type JobLane = 'documents' | 'graphs';
export const laneOf = (job: Job): JobLane => (job.type === 'graph' ? 'graphs' : 'documents');

/** How many jobs of each lane a process runs at once. */
export type LaneConcurrency = Record<JobLane, number>;

/** The job that removes every document of a KB marked `deleting` (one waits per KB at a time). */
export const deleteDocumentsJob = (scope: { tenantId: string; kbId: string }): Job => ({
  type: 'delete-documents',
  tenantId: scope.tenantId,
  kbId: scope.kbId,
  targetId: scope.kbId,
});

/** One job per key waits at a time; enqueueing a waiting job again is a no-op. */
export const jobKey = (job: Job): string =>
  `${job.type}:${job.targetId}${job.takeover === undefined ? '' : `:${job.takeover}`}`;

export abstract class JobQueue {
  abstract enqueue(job: Job): Promise<void>;
  /** Starts handing jobs to `handler`, at most `concurrency` of each lane at once in this process. */
  abstract consume(handler: JobHandler, concurrency: LaneConcurrency): Promise<void>;
  /** Jobs waiting (not yet started) in the whole queue, or in one of its lanes. */
  abstract depth(lane?: JobLane): Promise<number>;
  /** Stops taking jobs and waits for the running ones. */
  abstract close(): Promise<void>;
  abstract readonly description: string;
}
