import { AsyncLocalStorage } from 'node:async_hooks';
import type { Pool, PoolClient } from 'pg';
import { dbConnectionHold, dbConnectionWait } from '@strata/core';

/**
 * Who waits for a connection: a request; a newcomer, the document job of a tenant that had none in
 * work here when it started while other tenants had (see DocumentJobLanes); a job; or a job that
 * builds a graph behind ingestion. (Background work that is none of these, like the recovery sweep
 * or the embedded ANALYZE, is a job.)
 */
export type ConnectionLane = 'request' | 'newcomer' | 'job' | 'graph';

const background = new AsyncLocalStorage<Exclude<ConnectionLane, 'request'>>();

/**
 * Runs `work` as background work: its database statements wait while statements of requests are
 * waiting for a connection; with `lane: 'job'` also while a newcomer's are, and with
 * `lane: 'graph'` mostly also while other jobs' are.
 */
export function runAsBackgroundWork<T>(
  work: () => Promise<T>,
  lane: Exclude<ConnectionLane, 'request'> = 'job',
): Promise<T> {
  return background.run(lane, work);
}

/** The lane the caller's statements wait in: 'request' outside `runAsBackgroundWork`. */
export const currentLane = (): ConnectionLane => background.getStore() ?? 'request';

/**
 * Of the connections handed to waiting background work, one in this many goes to graph work when
 * jobs are waiting too: graph building comes after making documents searchable, but it must not
 * starve (its lease would run out during a long bulk upload).
 */
const GRAPH_SHARE = 4;

/**
 * How long the embedded database's one connection waits for a request's next statement (see
 * ConnectionGate). A server pool has several connections, and a request's next statement seldom
 * finds them all taken, so there it is 0.
 */
export const EMBEDDED_REQUEST_FOLLOW_UP_MS = 3;

/**
 * Who gets the next free connection: waiting requests before waiting newcomers, newcomers before
 * jobs, and jobs mostly before graph building (one connection in GRAPH_SHARE goes to graph work
 * when both wait), each in arrival order. Without it the pool is first come, first served, and
 * with the embedded database's one connection a request's every statement queued behind a bulk
 * ingest's (a KB read took 10x its idle time while 5 MB were ingested), a document's ingestion
 * behind the graph merges of the documents before it, and a small tenant's one document behind
 * every statement of the bulk upload's documents in work beside it.
 *
 * With `followUpMs`, a connection a request released stays the requests' that long before a job
 * may take it: a request runs a few statements one after another (its principal, its tenant and
 * KB, then its own read), and with one connection each of them otherwise queued again behind
 * whichever job statement had slipped in between, so a KB read waited for three job statements
 * instead of one. (The idea is the anticipatory I/O scheduler's: after a read, wait a moment for
 * the same reader's next one.)
 */
export class ConnectionGate {
  private readonly waiting: Record<ConnectionLane, Array<() => void>> = {
    request: [],
    newcomer: [],
    job: [],
    graph: [],
  };
  /** Connections handed to jobs in a row while graph work waited. */
  private jobsAheadOfGraph = 0;
  /** Connections kept for a request's next statement, each with the timer that gives it up. */
  private readonly keptForRequests: NodeJS.Timeout[] = [];

  constructor(
    private free: number,
    private readonly followUpMs = 0,
  ) {}

  get queued(): Record<ConnectionLane, number> {
    return {
      request: this.waiting.request.length,
      newcomer: this.waiting.newcomer.length,
      job: this.waiting.job.length,
      graph: this.waiting.graph.length,
    };
  }

  acquire(lane: ConnectionLane): Promise<void> {
    if (lane === 'request' && this.keptForRequests.length > 0) {
      clearTimeout(this.keptForRequests.shift());
      return Promise.resolve();
    }
    if (this.free > 0) {
      this.free--;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting[lane].push(resolve));
  }

  /** Gives a connection back; `byRequest` when a request (not a job) held it. */
  release(byRequest = false): void {
    const request = this.waiting.request.shift();
    if (request) return request();
    if (byRequest && this.followUpMs > 0) {
      const timer = setTimeout(() => {
        this.keptForRequests.splice(this.keptForRequests.indexOf(timer), 1);
        this.handOver();
      }, this.followUpMs);
      timer.unref();
      this.keptForRequests.push(timer);
      return;
    }
    this.handOver();
  }

  private handOver(): void {
    const { newcomer, job, graph } = this.waiting;
    const first = newcomer.shift();
    if (first) return first();
    const graphTurn = graph.length > 0 && (job.length === 0 || this.jobsAheadOfGraph >= GRAPH_SHARE - 1);
    const next = graphTurn ? graph.shift() : job.shift();
    if (graphTurn) this.jobsAheadOfGraph = 0;
    else if (next && graph.length > 0) this.jobsAheadOfGraph++;
    if (next) next();
    else this.free++;
  }
}

type ConnectCallback = (
  error: Error | undefined,
  client?: PoolClient,
  done?: (release?: unknown) => void,
) => void;

/**
 * Puts a ConnectionGate in front of a pg pool (TypeORM's), sized to the pool: the pool itself then
 * never queues, and whoever the gate lets through gets a connection at once. `followUpMs` as for
 * ConnectionGate.
 */
export function prioritiseRequests(pool: Pool, followUpMs = 0): ConnectionGate {
  // pg-pool fills in its default size (10) when none was configured.
  const gate = new ConnectionGate(pool.options.max!, followUpMs);
  const connect = pool.connect.bind(pool) as (callback: ConnectCallback) => void;
  const gated = (callback: ConnectCallback) => {
    const lane = currentLane();
    const byRequest = lane === 'request';
    const waited = dbConnectionWait.startTimer({ lane });
    void gate.acquire(lane).then(() =>
      connect((error, client, done) => {
        waited();
        if (error || !client || !done) {
          gate.release(byRequest);
          return callback(error);
        }
        const held = dbConnectionHold.startTimer({ lane });
        let released = false;
        const release = (reason?: unknown) => {
          if (!released) {
            released = true;
            held();
            gate.release(byRequest);
          }
          return done(reason);
        };
        client.release = release as PoolClient['release'];
        callback(undefined, client, release);
      }),
    );
  };
  (pool as unknown as { connect: unknown }).connect = (callback?: ConnectCallback) => {
    if (callback) return gated(callback);
    return new Promise<PoolClient>((resolve, reject) =>
      gated((error, client) => (error ? reject(error) : resolve(client!))),
    );
  };
  return gate;
}
