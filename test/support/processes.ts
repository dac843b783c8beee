import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';

/** A TCP port nothing listens on right now. */
export const freePort = (): Promise<number> =>
  new Promise((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });

export interface RunningProcess {
  child: ChildProcess;
  output: () => string;
}

/** Spawns `node main` with exactly `env` (plus PATH) and waits until its output shows `ready`. */
export async function startProcess(
  main: string,
  env: Record<string, string>,
  ready: string,
  // Generous: a start slowed by a loaded machine (CI runs suites side by side) is not a failure.
  timeoutMs = 90_000,
): Promise<RunningProcess> {
  const child = spawn(process.execPath, [main], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const deadline = Date.now() + timeoutMs;
  while (!output.includes(ready)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${main} did not become ready:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { child, output: () => output };
}

/** Sends `signal` and waits for the process to exit. */
export async function stopProcess(
  running: RunningProcess,
  signal: NodeJS.Signals = 'SIGTERM',
): Promise<void> {
  if (running.child.exitCode !== null || running.child.signalCode !== null) return;
  const exited = new Promise((resolve) => running.child.once('exit', resolve));
  running.child.kill(signal);
  await exited;
}
