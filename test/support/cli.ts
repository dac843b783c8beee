import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliSession } from '../../apps/cli/src/cli-session';
import { runCli } from '../../apps/cli/src/run-cli';
import { startTestApp, type TestApp, testConfig } from './test-app';
import { createSharedTestDatabase, type TestDatabase } from './test-database';

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/**
 * Runs CLI command lines in this process against the stores `env` names (DATA_DIR or DATABASE_URL).
 * The stores stay open from one command line to the next, as for an operator's session; `release`
 * closes them (before an embedded API opens the same DATA_DIR).
 */
export function inProcessCli(env: Record<string, string>) {
  let session: CliSession | null = null;
  const cli = async (args: string[], stdin = ''): Promise<CliRun> => {
    session ??= new CliSession(() => testConfig(env));
    let out = '';
    let err = '';
    const code = await runCli(
      args,
      { out: (text) => (out += text), err: (text) => (err += text), readStdin: async () => stdin },
      session,
    );
    return { code, out, err };
  };
  cli.release = async (): Promise<void> => {
    await session?.close();
    session = null;
  };
  return cli;
}

/**
 * The operator's CLI and the API on one suite's stores, taking turns: in the embedded mode the
 * database has one owner, so `api()` releases the CLI's stores before it starts the API, and
 * `stopApi()` (run before each test) stops it before the next command. `dataDir` holds the blobs.
 */
export class CliBesideApi {
  cli!: ReturnType<typeof inProcessCli>;
  dataDir!: string;
  private shared!: TestDatabase & { env: Record<string, string> };
  private ownDataDir = false;
  private running: TestApp | null = null;

  constructor(private readonly secrets: Record<string, string>) {}

  async open(): Promise<void> {
    this.shared = await createSharedTestDatabase();
    this.ownDataDir = this.shared.env.DATA_DIR === undefined;
    this.dataDir = this.shared.env.DATA_DIR ?? mkdtempSync(join(tmpdir(), 'strata-cli-'));
    this.cli = inProcessCli({ ...this.secrets, ...this.shared.env, DATA_DIR: this.dataDir });
  }

  /** The suite's database settings (DATA_DIR or DATABASE_URL, REDIS_URL where there is one). */
  get env(): Record<string, string> {
    return this.shared.env;
  }

  async api(): Promise<TestApp> {
    await this.cli.release();
    return (this.running ??= await startTestApp({ ...this.secrets, DATA_DIR: this.dataDir }, this.shared));
  }

  async stopApi(): Promise<void> {
    await this.running?.close();
    this.running = null;
  }

  async close(): Promise<void> {
    await this.cli?.release();
    await this.stopApi();
    await this.shared?.drop();
    if (this.ownDataDir) rmSync(this.dataDir, { recursive: true, force: true });
  }
}
