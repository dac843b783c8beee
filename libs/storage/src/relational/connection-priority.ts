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
 * Who gets the next free connection: waiting requests before waiting jobs, each in arrival order.
 * Without it the pool is first come, first served, and with the embedded database's one
 * connection a request's every statement queued behind a bulk ingest's (a KB read took 10x its
 * idle time while 5 MB were ingested).
 */
export class ConnectionGate {
  private readonly waiting = { interactive: [] as Array<() => void>, background: [] as Array<() => void> };

  constructor(private free: number) {}

  get queued(): { interactive: number; background: number } {
    return { interactive: this.waiting.interactive.length, background: this.waiting.background.length };
  }

  acquire(asBackground: boolean): Promise<void> {
    if (this.free > 0) {
      this.free--;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting[asBackground ? 'background' : 'interactive'].push(resolve));
  }

  release(): void {
    const next = this.waiting.interactive.shift() ?? this.waiting.background.shift();
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
 * never queues, and whoever the gate lets through gets a connection at once.
 */
export function prioritiseRequests(pool: Pool): ConnectionGate {
  // pg-pool fills in its default size (10) when none was configured.
  const gate = new ConnectionGate(pool.options.max!);
  const connect = pool.connect.bind(pool) as (callback: ConnectCallback) => void;
  const gated = (callback: ConnectCallback) => {
    void gate.acquire(isBackgroundWork()).then(() =>
      connect((error, client, done) => {
        if (error || !client || !done) {
          gate.release();
          return callback(error);
        }
        let released = false;
        const release = (reason?: unknown) => {
          if (!released) {
            released = true;
            gate.release();
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
