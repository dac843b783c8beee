import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** A Strata API process the benchmark started, reached over HTTP like any client. */
export interface BenchServer {
  child: ChildProcess;
  base: string;
  output: () => string;
}

const freePort = (): Promise<number> =>
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
  const child = spawn(
    process.execPath,
    [...(process.env.BENCH_CHILD_ARGS?.split(' ').filter(Boolean) ?? []), main, ...args],
    {
      env: { PATH: process.env.PATH ?? '', PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const deadline = Date.now() + 60_000;
  while (!output.includes('Strata API listening')) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the API did not start:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { child, base: `http://127.0.0.1:${port}`, output: () => output };
}

export async function stopServer(server: BenchServer): Promise<void> {
  if (server.child.exitCode !== null) return;
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

/** A small JSON client for the API. */
export class Client {
  constructor(
    private readonly base: string,
    private token: string | null = null,
  ) {}

  withToken(token: string): Client {
    return new Client(this.base, token);
  }

  async call<T>(method: string, path: string, body?: unknown, expected = [200, 201, 202]): Promise<T> {
    const { status, text } = await this.send(method, path, body);
    if (!expected.includes(status))
      throw new Error(`${method} ${path} answered ${status}: ${text.slice(0, 300)}`);
    return (text ? JSON.parse(text) : null) as T;
  }

  /** The raw answer, whatever its status. */
  async send(method: string, path: string, body?: unknown): Promise<{ status: number; text: string }> {
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
