import { AsyncLocalStorage } from 'node:async_hooks';
import type { Pool, PoolClient } from 'pg';

const background = new AsyncLocalStorage<true>();

/**
 * Runs `work` as background work (a job): its database statements wait while statements of
 * requests are waiting for a connection.
 */
export function runAsBackgroundWork<T>(work: () => Promise<T>): Promise<T> {
  return background.run(true, work);
}

/** Whether the caller runs inside `runAsBackgroundWork`. */
export const isBackgroundWork = (): boolean => background.getStore() === true;

/**
 * How long the embedded database's one connection waits for a request's next statement (see
 * ConnectionGate). A server pool has several connections, and a request's next statement seldom
 * finds them all taken, so there it is 0.
 */
export const EMBEDDED_REQUEST_FOLLOW_UP_MS = 3;

/**
 * Who gets the next free connection: waiting requests before waiting jobs, each in arrival order.
 * Without it the pool is first come, first served, and with the embedded database's one
 * connection a request's every statement queued behind a bulk ingest's (a KB read took 10x its
 * idle time while 5 MB were ingested).
 *
 * With `followUpMs`, a connection a request released stays the requests' that long before a job
 * may take it: a request runs a few statements one after another (its principal, its tenant and
 * KB, then its own read), and with one connection each of them otherwise queued again behind
 * whichever job statement had slipped in between, so a KB read waited for three job statements
 * instead of one. (The idea is the anticipatory I/O scheduler's: after a read, wait a moment for
 * the same reader's next one.)
 */
export class ConnectionGate {
  private readonly waiting = { interactive: [] as Array<() => void>, background: [] as Array<() => void> };
  /** Connections kept for a request's next statement, each with the timer that gives it up. */
  private readonly keptForRequests: NodeJS.Timeout[] = [];

  constructor(
    private free: number,
    private readonly followUpMs = 0,
  ) {}

  get queued(): { interactive: number; background: number } {
    return { interactive: this.waiting.interactive.length, background: this.waiting.background.length };
  }

  acquire(asBackground: boolean): Promise<void> {
    if (!asBackground && this.keptForRequests.length > 0) {
      clearTimeout(this.keptForRequests.shift());
      return Promise.resolve();
    }
    if (this.free > 0) {
      this.free--;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting[asBackground ? 'background' : 'interactive'].push(resolve));
  }

  /** Gives a connection back; `byRequest` when a request (not a job) held it. */
  release(byRequest = false): void {
    const request = this.waiting.interactive.shift();
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
    const job = this.waiting.background.shift();
    if (job) job();
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
    const byRequest = !isBackgroundWork();
    void gate.acquire(!byRequest).then(() =>
      connect((error, client, done) => {
        if (error || !client || !done) {
          gate.release(byRequest);
          return callback(error);
        }
        let released = false;
        const release = (reason?: unknown) => {
          if (!released) {
            released = true;
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
