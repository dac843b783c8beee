import { ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** A Strata API process the benchmark started, reached over HTTP like any client. */
export interface BenchServer {
  child: ChildProcess;
  base: string;
  output: () => string;
}

export const freePort = (): Promise<number> =>
  new Promise((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });

export async function startServer(
  main: string,
  env: Record<string, string>,
  args: string[] = [],
): Promise<BenchServer> {
  const port = await freePort();
  const started = await startProcess(main, { PORT: String(port), ...env }, args, 'Strata API listening');
  return { ...started, base: `http://127.0.0.1:${port}` };
}

/**
 * A Strata worker process (jobs only), started like the API; it shares the API's storage through
 * `env`, and serves its metrics on `metricsPort` when given.
 */
export function startWorker(
  main: string,
  env: Record<string, string>,
  metricsPort = 0,
): Promise<Omit<BenchServer, 'base'>> {
  return startProcess(main, { WORKER_METRICS_PORT: String(metricsPort), ...env }, [], 'Strata worker ready');
}

/**
 * Settings to try without a rebuild: `BENCH_CHILD_ENV="INGESTION_CONCURRENCY=4 GRAPH_BATCH_CHUNKS=32"`
 * sets them in every process a benchmark starts, over what the benchmark sets itself.
 */
export function childEnvOverrides(spec = process.env.BENCH_CHILD_ENV ?? ''): Record<string, string> {
  return Object.fromEntries(
    spec
      .split(/\s+/)
      .filter(Boolean)
      .map((pair) => {
        const at = pair.indexOf('=');
        if (at <= 0)
          throw new Error(`BENCH_CHILD_ENV takes NAME=value pairs separated by spaces, not "${pair}"`);
        return [pair.slice(0, at), pair.slice(at + 1)];
      }),
  );
}

async function startProcess(
  main: string,
  env: Record<string, string>,
  args: string[],
  readyLine: string,
): Promise<Omit<BenchServer, 'base'>> {
  const child = spawn(
    process.execPath,
    [...(process.env.BENCH_CHILD_ARGS?.split(' ').filter(Boolean) ?? []), main, ...args],
    {
      env: {
        PATH: process.env.PATH ?? '',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        // Every bench client logs in from 127.0.0.1, and on Redis the per-IP counter outlives the
        // run: back-to-back runs would be refused logins within the window.
        LOGIN_MAX_ATTEMPTS_PER_IP: '100000',
        ...env,
        ...childEnvOverrides(),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const deadline = Date.now() + 60_000;
  while (!output.includes(readyLine)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${main} did not start:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { child, output: () => output };
}

export async function stopServer(server: Pick<BenchServer, 'child'>): Promise<void> {
  // A child that ended on a signal has no exit code, only a signal code.
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill('SIGTERM');
  await exited;
}

/** Resident memory of a process now and at its peak, in bytes (Linux /proc). */
export function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

/**
 * CPU seconds (user + system) a process has used so far, all its threads and the main thread
 * alone (Linux /proc; clock ticks of 1/100 s, the kernel's USER_HZ on every Linux port Node runs
 * on). Unlike wall time on a shared machine, this barely moves with what else runs.
 */
export function cpuSecondsOf(pid: number): { total: number; main: number } {
  const seconds = (statPath: string) => {
    const stat = readFileSync(statPath, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime (fields 14 and 15)
  };
  return { total: seconds(`/proc/${pid}/stat`), main: seconds(`/proc/${pid}/task/${pid}/stat`) };
}

/**
 * CPU seconds (user + system) of every process whose command name is `command` (`/proc/<pid>/comm`,
 * e.g. `postgres` for a PostgreSQL server's backends and background processes on this machine),
 * added up. A process that exits between two readings takes its CPU with it: read it around work
 * whose processes live throughout (a connection pool's backends do).
 */
export function cpuSecondsOfCommand(command: string): number {
  let seconds = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() !== command) continue;
      seconds += cpuSecondsOf(Number(entry)).total;
    } catch {
      // Gone since the listing.
    }
  }
  return seconds;
}

/** Login details a client signs in with again when its access token has expired. */
export type Credentials = Record<string, string>;

/** A small JSON client for the API. */
export class Client {
  constructor(
    private readonly base: string,
    private token: string | null = null,
    private readonly credentials: Credentials | null = null,
  ) {}

  withToken(token: string): Client {
    return new Client(this.base, token);
  }

  /**
   * A client signed in with `credentials`, which signs in again when the API answers 401 (an
   * access token lives 15 minutes; a load on a slow host outlasts it).
   */
  static async signedIn(base: string, credentials: Credentials): Promise<Client> {
    const client = new Client(base, null, credentials);
    await client.signIn();
    return client;
  }

  private async signIn(): Promise<void> {
    this.token = null;
    const { status, text } = await this.send('POST', '/api/v1/auth/login', this.credentials);
    if (status !== 200 && status !== 201) throw new Error(`login answered ${status}: ${text.slice(0, 300)}`);
    this.token = (JSON.parse(text) as { access_token: string }).access_token;
  }

  async call<T>(method: string, path: string, body?: unknown, expected = [200, 201, 202]): Promise<T> {
    const { status, text } = await this.send(method, path, body);
    if (!expected.includes(status))
      throw new Error(`${method} ${path} answered ${status}: ${text.slice(0, 300)}`);
    return (text ? JSON.parse(text) : null) as T;
  }

  /** The raw answer, whatever its status. */
  async send(method: string, path: string, body?: unknown): Promise<{ status: number; text: string }> {
    const answer = await this.sendOnce(method, path, body);
    if (answer.status !== 401 || !this.credentials || !this.token) return answer;
    await this.signIn();
    return this.sendOnce(method, path, body);
  }

  private async sendOnce(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; text: string }> {
    const isForm = body instanceof FormData;
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers: {
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        ...(body !== undefined && !isForm ? { 'content-type': 'application/json' } : {}),
      },
      body: body === undefined ? undefined : isForm ? body : JSON.stringify(body),
    });
    return { status: res.status, text: await res.text() };
  }
}

/**
 * Resident bytes of a process's WebAssembly memories (PGlite's heap and buffer pool). V8 reserves
 * each wasm32 memory as one large inaccessible range and opens its used part read-write in front
 * of it, so a read-write mapping that ends where a reservation of 4 GiB or more starts is one.
 */
export function wasmResidentOf(pid: number): number {
  const smaps = readFileSync(`/proc/${pid}/smaps`, 'utf8');
  let total = 0;
  let previous: { end: string; perms: string; rss: number } | null = null;
  for (const block of smaps.split(/\n(?=[0-9a-f]+-[0-9a-f]+ )/)) {
    const [range, perms] = block.slice(0, block.indexOf('\n')).split(' ');
    const [start, end] = range.split('-');
    const size = Number(/^Size:\s+(\d+) kB/m.exec(block)?.[1] ?? 0) * 1024;
    const rss = Number(/^Rss:\s+(\d+) kB/m.exec(block)?.[1] ?? 0) * 1024;
    if (
      size >= 4 * 1024 ** 3 &&
      perms === '---p' &&
      previous?.end === start &&
      previous.perms.startsWith('rw')
    ) {
      total += previous.rss;
    }
    previous = { end, perms, rss };
  }
  return total;
}
