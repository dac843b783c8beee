import { Logger } from '@nestjs/common';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { lockDataDir } from './data-dir-lock';
import { EMBEDDED_POSTGRES_THREAD } from './embedded-postgres.thread';

const SOCKET_PORT = 5432;

/** Where a pg client reaches the embedded database. */
export interface EmbeddedEndpoint {
  host: string;
  port: number;
}

type ThreadMessage = { ready: true } | { failed: string } | { stopped: true };

/**
 * PostgreSQL in-process (PGlite, with pgvector) served on a private Unix socket, so the same `pg`
 * driver, TypeORM code and migrations run in embedded and server mode. The socket lives in a fresh
 * 0700 temp directory: no TCP port is opened and no other local user can connect.
 *
 * PGlite runs on a thread of its own: executing SQL is CPU work (WebAssembly), and on the HTTP
 * thread every statement of a bulk ingest held up health probes and requests (p95 of /health/live
 * 11x its idle value while 5 MB were ingested). The HTTP thread now only speaks the wire protocol.
 * PGlite is single-session, so clients must use a pool of one connection.
 */
export class EmbeddedPostgres {
  private readonly logger = new Logger('EmbeddedPostgres');
  private stopping = false;
  private stopped: Promise<void> | null = null;
  private terminating = false;

  private constructor(
    private readonly thread: Worker,
    private readonly socketDir: string,
    private readonly unlock: () => void,
  ) {
    thread.on('error', (error) => this.lost(error));
    thread.on('exit', (code) => this.lost(new Error(`its thread exited with code ${code}`)));
  }

  /**
   * Opens (or creates) the database in `dataDir`, or an in-memory one when it is null. With
   * `statementStatsFile`, the database's time per statement is written there (a diagnostic).
   */
  static async start(
    dataDir: string | null,
    options: { statementStatsFile?: string | null } = {},
  ): Promise<EmbeddedPostgres> {
    let unlock = () => undefined as void;
    if (dataDir !== null) {
      mkdirSync(dataDir, { recursive: true, mode: 0o700 });
      unlock = lockDataDir(dataDir);
    }
    const socketDir = mkdtempSync(join(tmpdir(), 'strata-pg-'));
    const thread = new Worker(EMBEDDED_POSTGRES_THREAD, {
      eval: true,
      name: 'embedded-postgres',
      workerData: {
        dataDir,
        socketPath: join(socketDir, `.s.PGSQL.${SOCKET_PORT}`),
        resolveFrom: __filename,
        statementStatsFile: options.statementStatsFile ?? null,
      },
    });
    try {
      const first = await nextMessage(thread);
      if (!('ready' in first)) throw new Error(`the embedded database did not start: ${failureOf(first)}`);
      return new EmbeddedPostgres(thread, socketDir, unlock);
    } catch (error) {
      await thread.terminate();
      rmSync(socketDir, { recursive: true, force: true });
      unlock();
      throw error;
    }
  }

  get endpoint(): EmbeddedEndpoint {
    return { host: this.socketDir, port: SOCKET_PORT };
  }

  /** Stops serving and closes the database, flushing it to disk. */
  stop(): Promise<void> {
    this.stopping = true;
    this.stopped ??= (async () => {
      const exited = new Promise((resolve) => this.thread.once('exit', resolve));
      const closed = nextMessage(this.thread);
      this.thread.postMessage('stop');
      await closed.catch((error: Error) => {
        if (!this.terminating) this.logger.error(`closing the database: ${error.message}`);
      });
      await exited;
      rmSync(this.socketDir, { recursive: true, force: true });
      this.unlock();
    })();
    return this.stopped;
  }

  /**
   * Ends the database thread without closing the database, for a stop that does not finish: like
   * a crash, PostgreSQL's write-ahead log brings the data back at the next start.
   */
  async terminate(): Promise<void> {
    const stopping = this.stop();
    this.terminating = true;
    await this.thread.terminate();
    await stopping;
  }

  /**
   * The database thread died under a running service. Nothing can be served or written without
   * it, so the process exits; jobs resume from the database state at the next start.
   */
  private lost(error: Error): void {
    if (this.stopping) return;
    this.stopping = true;
    this.logger.fatal(`the embedded database stopped: ${error.message}`);
    process.exit(1);
  }
}

/** The thread's next message, or its error or exit as a rejection. */
function nextMessage(thread: Worker): Promise<ThreadMessage> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      thread.off('message', onMessage);
      thread.off('error', onError);
      thread.off('exit', onExit);
    };
    const onMessage = (message: ThreadMessage) => (cleanup(), resolve(message));
    const onError = (error: Error) => (cleanup(), reject(error));
    const onExit = (code: number) => (cleanup(), reject(new Error(`thread exited with code ${code}`)));
    thread.on('message', onMessage);
    thread.on('error', onError);
    thread.on('exit', onExit);
  });
}

const failureOf = (message: ThreadMessage) =>
  'failed' in message ? message.failed : JSON.stringify(message);
