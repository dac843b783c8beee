import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client as PgClient } from 'pg';
import { openEmbeddedSqlClient, type SqlClient } from '@strata/storage';
import { BENCH_ADMIN } from '../bench-tenant';

/**
 * One Strata deployment's storage for the scale benchmark: a database on the PostgreSQL server,
 * Redis (shared), and a DATA_DIR that holds blobs and, when the server has no pgvector, the
 * vectors' PGlite. Stores are made, copied and dropped here; a server is started on one by name.
 */
export class BenchStore {
  private constructor(
    readonly database: string,
    readonly dataDir: string,
    private readonly serverUrl: string,
  ) {}

  static async create(serverUrl: string, admin: PgClient): Promise<BenchStore> {
    const database = `strata_scale_${randomBytes(4).toString('hex')}`;
    await admin.query(`CREATE DATABASE ${database}`);
    return new BenchStore(database, mkdtempSync(join(tmpdir(), `${database}-`)), serverUrl);
  }

  /** A copy of this store (no server may be running on it). */
  async copy(admin: PgClient): Promise<BenchStore> {
    const database = `strata_scale_${randomBytes(4).toString('hex')}`;
    await admin.query(`CREATE DATABASE ${database} TEMPLATE ${this.database}`);
    const dataDir = mkdtempSync(join(tmpdir(), `${database}-`));
    cpSync(this.dataDir, dataDir, { recursive: true });
    return new BenchStore(database, dataDir, this.serverUrl);
  }

  get url(): string {
    const url = new URL(this.serverUrl);
    url.pathname = `/${this.database}`;
    return url.toString();
  }

  async connect(): Promise<PgClient> {
    const client = new PgClient({ connectionString: this.url });
    // Dropping the store at the end of a failed run ends this connection: that must not hide
    // the failure by crashing the process first.
    client.on('error', () => undefined);
    await client.connect();
    return client;
  }

  /**
   * Where the store's vectors are, opened while no server runs: the server database's own
   * pgvector table when the server has the extension, else the local PGlite fallback.
   */
  async openVectors(): Promise<SqlClient> {
    const server = await this.connect();
    const { rows } = await server.query<{ here: boolean }>(
      `SELECT to_regclass('strata_vectors') IS NOT NULL AS here`,
    );
    if (rows[0].here) {
      return {
        query: async <T>(sql: string, params?: unknown[]) => (await server.query(sql, params)).rows as T[],
        close: () => server.end(),
      };
    }
    await server.end();
    return openEmbeddedSqlClient(join(this.dataDir, 'vectors'));
  }

  env(shared: SharedEnv, queuePrefix: string): Record<string, string> {
    return {
      DATABASE_URL: this.url,
      DATA_DIR: this.dataDir,
      REDIS_URL: shared.redisUrl,
      JWT_SECRET: shared.jwtSecret,
      MASTER_KEY: shared.masterKey,
      JOB_QUEUE_PREFIX: `${this.database}_${queuePrefix}`,
      ADMIN_EMAIL: BENCH_ADMIN.email,
      ADMIN_PASSWORD: BENCH_ADMIN.password,
    };
  }

  async drop(admin: PgClient): Promise<void> {
    await admin.query(`DROP DATABASE IF EXISTS ${this.database} WITH (FORCE)`).catch(() => undefined);
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/** Secrets every server of one run shares, so a token from one is valid on its copies. */
export interface SharedEnv {
  redisUrl: string;
  jwtSecret: string;
  masterKey: string;
}

export function sharedEnv(redisUrl: string): SharedEnv {
  return {
    redisUrl,
    jwtSecret: randomBytes(32).toString('hex'),
    masterKey: randomBytes(32).toString('hex'),
  };
}
