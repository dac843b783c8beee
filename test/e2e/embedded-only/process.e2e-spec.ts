import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtApp } from '../../support/built-app';
import { freePort } from '../../support/processes';

let MAIN = '';

interface Running {
  child: ChildProcess;
  output: () => string;
  base: string;
}

/** Starts the built API as `npm start` does, with only DATA_DIR and PORT set. */
async function startServer(dataDir: string, env: Record<string, string> = {}): Promise<Running> {
  const port = await freePort();
  const child = spawn(process.execPath, [MAIN], {
    env: {
      PATH: process.env.PATH,
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  // Generous: a start slowed by a loaded machine (CI runs suites side by side) is not a failure.
  const deadline = Date.now() + 90_000;
  while (!output.includes('Strata API listening')) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not start:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, output: () => output, base: `http://127.0.0.1:${port}` };
}

/** SIGTERM, then how the process ended: Nest re-raises the signal once its shutdown hooks ran. */
async function stop(server: Running): Promise<string> {
  server.child.kill('SIGTERM');
  await new Promise((r) => server.child.once('exit', r));
  return server.child.exitCode === 0
    ? 'clean'
    : `code=${server.child.exitCode} signal=${server.child.signalCode}`;
}

const post = (url: string, body: object, token?: string) =>
  fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });

// Embedded-only: the process is the same in both runs, so it is exercised once.
describe('the server process (npm start)', () => {
  let dataDir: string;

  beforeAll(() => {
    MAIN = builtApp('api');
    dataDir = mkdtempSync(join(tmpdir(), 'strata-process-'));
  }, 120_000);
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('starts on embedded storage, prints the generated admin password once, and keeps data across restarts', async () => {
    const first = await startServer(dataDir);
    const password = /password: (\S+)/.exec(first.output())?.[1];
    expect(password).toBeDefined();
    const login = await post(`${first.base}/api/v1/auth/login`, { email: 'admin@strata.local', password });
    expect(login.status).toBe(200);
    const { access_token: token } = (await login.json()) as { access_token: string };
    expect((await post(`${first.base}/api/v1/tenants`, { slug: 'kept', name: 'Kept' }, token)).status).toBe(
      201,
    );
    expect(['clean', 'code=null signal=SIGTERM']).toContain(await stop(first));

    const second = await startServer(dataDir);
    try {
      expect(second.output()).not.toContain('password:');
      const tenant = await fetch(`${second.base}/api/v1/tenants/kept`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      expect(tenant.status).toBe(200);
      expect(((await tenant.json()) as { name: string }).name).toBe('Kept');
      const ready = await fetch(`${second.base}/health/ready`);
      expect(ready.status).toBe(200);
    } finally {
      await stop(second);
    }
  }, 90_000);

  it('refuses a second process on the same data directory', async () => {
    const owner = await startServer(dataDir);
    try {
      const intruder = spawnSync(process.execPath, [MAIN], {
        env: { PATH: process.env.PATH, DATA_DIR: dataDir, PORT: '0' },
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(intruder.status).toBe(1);
      expect(intruder.stderr).toContain('is in use by process');
    } finally {
      await stop(owner);
    }
  }, 60_000);

  it('stops on a bad configuration with one line naming the variable', () => {
    const result = spawnSync(process.execPath, [MAIN], {
      env: { PATH: process.env.PATH, DATABASE_URL: 'postgres://db/strata' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe('Configuration error: JWT_SECRET is required when DATABASE_URL is set');
  });

  it('stops on an unreachable database with the reason alone, and the boot log only at debug', async () => {
    const closed = await freePort();
    const env = {
      PATH: process.env.PATH,
      DATABASE_URL: `postgres://strata@127.0.0.1:${closed}/strata`,
      JWT_SECRET: 'a-jwt-secret-long-enough-for-the-check-0123',
      MASTER_KEY: Buffer.alloc(32, 7).toString('base64'),
      PORT: '0',
    };
    const quiet = spawnSync(process.execPath, [MAIN], { env, encoding: 'utf8', timeout: 30_000 });
    expect(quiet.status).toBe(1);
    expect(quiet.stdout).toBe('');
    expect(quiet.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^Strata failed to start: .*ECONNREFUSED/),
      '  (LOG_LEVEL=debug shows how far start-up got)',
    ]);
    const debug = spawnSync(process.execPath, [MAIN], {
      env: { ...env, LOG_LEVEL: 'debug' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(debug.status).toBe(1);
    expect(debug.stderr).toContain('boot log [InstanceLoader]');
  });

  it('logs a line per request with its method, path, status and time, without Nest start-up chatter', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-logs-'));
    try {
      for (const format of ['json', 'pretty']) {
        const server = await startServer(dir, { LOG_LEVEL: 'info', LOG_FORMAT: format });
        try {
          expect(server.output()).toMatch(
            /console: {2}http:\/\/127\.0\.0\.1:\d+\/console\n {2}API docs: http/,
          );
          await fetch(`${server.base}/api/v1/tenants`);
          await fetch(`${server.base}/health/live`);
          const deadline = Date.now() + 10_000;
          while (!server.output().includes('GET /health/live 200') && Date.now() < deadline)
            await new Promise((r) => setTimeout(r, 50));
          const output = server.output();
          expect(output).not.toMatch(
            /InstanceLoader|RoutesResolver|RouterExplorer|Nest application successfully started/,
          );
          if (format === 'json') {
            const lines = output
              .split('\n')
              .filter((line) => line.startsWith('{'))
              .map((line) => JSON.parse(line) as { level: number; msg: string; res?: object });
            const refused = lines.find((line) => line.msg.startsWith('GET /api/v1/tenants 401'));
            // A client's mistake is a warning, and the line carries no response headers.
            expect(refused).toMatchObject({ level: 40, res: { statusCode: 401 } });
            expect(Object.keys(refused!.res!)).toEqual(['statusCode']);
          } else {
            expect(output).toMatch(/^\[\d\d:\d\d:\d\d\] WARN: GET \/api\/v1\/tenants 401 \d+ ms$/m);
            expect(output).toMatch(/^\[\d\d:\d\d:\d\d\] INFO: GET \/health\/live 200 \d+ ms$/m);
          }
        } finally {
          await stop(server);
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000);
});
