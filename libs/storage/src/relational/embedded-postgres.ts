import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lockDataDir } from './data-dir-lock';

const SOCKET_PORT = 5432;

/** Where a pg client reaches the embedded database. */
export interface EmbeddedEndpoint {
  host: string;
  port: number;
}

/**
 * PostgreSQL in-process (PGlite, with pgvector) served on a private Unix socket, so the same `pg`
 * driver, TypeORM code and migrations run in embedded and server mode. The socket lives in a fresh
 * 0700 temp directory: no TCP port is opened and no other local user can connect.
 * PGlite is single-session, so clients must use a pool of one connection.
 */
export class EmbeddedPostgres {
  private constructor(
    private readonly db: PGlite,
    private readonly server: PGLiteSocketServer,
    private readonly socketDir: string,
    private readonly unlock: () => void,
  ) {}

  /** Opens (or creates) the database in `dataDir`, or an in-memory one when it is null. */
  static async start(dataDir: string | null): Promise<EmbeddedPostgres> {
    let unlock = () => undefined as void;
    if (dataDir !== null) {
      mkdirSync(dataDir, { recursive: true, mode: 0o700 });
      unlock = lockDataDir(dataDir);
    }
    let db: PGlite | null = null;
    const socketDir = mkdtempSync(join(tmpdir(), 'strata-pg-'));
    try {
      db = await PGlite.create({ dataDir: dataDir ?? undefined, extensions: { vector } });
      const server = new PGLiteSocketServer({ db, path: join(socketDir, `.s.PGSQL.${SOCKET_PORT}`) });
      await server.start();
      return new EmbeddedPostgres(db, server, socketDir, unlock);
    } catch (error) {
      await db?.close();
      rmSync(socketDir, { recursive: true, force: true });
      unlock();
      throw error;
    }
  }

  get endpoint(): EmbeddedEndpoint {
    return { host: this.socketDir, port: SOCKET_PORT };
  }

  /** Stops serving and closes the database, flushing it to disk. */
  async stop(): Promise<void> {
    await this.server.stop();
    await this.db.close();
    rmSync(this.socketDir, { recursive: true, force: true });
    this.unlock();
  }
}
