import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { childEnvOverrides, Client, cpuSecondsOf, cpuSecondsOfCommand } from './server';

describe('cpuSecondsOf', () => {
  it("reads a process's CPU time, the main thread's within it, and sees work done", () => {
    const before = cpuSecondsOf(process.pid);
    // Spin until this process has used 0.3 s of CPU: wall time would count the spin short
    // whenever other work on the machine takes the core away.
    const cpuBefore = process.cpuUsage();
    let spin = 0;
    const used = () => process.cpuUsage(cpuBefore);
    while (used().user + used().system < 300_000) spin++;
    const after = cpuSecondsOf(process.pid);
    expect(spin).toBeGreaterThan(0);
    expect(after.main).toBeLessThanOrEqual(after.total);
    // 0.3 s of spinning on this (main) thread, counted in 1/100 s ticks.
    expect(after.main - before.main).toBeGreaterThanOrEqual(0.2);
    expect(after.total - before.total).toBeGreaterThanOrEqual(0.2);
  });
});

describe('cpuSecondsOfCommand', () => {
  it("adds up the CPU of the processes of a command, this one's included", () => {
    const own = readFileSync('/proc/self/comm', 'utf8').trim();
    const ours = cpuSecondsOf(process.pid).total;
    expect(cpuSecondsOfCommand(own)).toBeGreaterThanOrEqual(ours);
    expect(cpuSecondsOfCommand('no-such-command-here')).toBe(0);
  });
});

describe('childEnvOverrides', () => {
  it('reads NAME=value pairs, values may hold "=", and refuses anything else', () => {
    expect(childEnvOverrides('')).toEqual({});
    expect(childEnvOverrides(' INGESTION_CONCURRENCY=4  GRAPH_BATCH_CHUNKS=32 X=a=b ')).toEqual({
      INGESTION_CONCURRENCY: '4',
      GRAPH_BATCH_CHUNKS: '32',
      X: 'a=b',
    });
    expect(() => childEnvOverrides('INGESTION_CONCURRENCY')).toThrow(/NAME=value/);
    expect(() => childEnvOverrides('=4')).toThrow(/NAME=value/);
  });
});

describe('Client.signedIn', () => {
  it('signs in again when the API answers 401, and retries the request once', async () => {
    let issued = 0;
    const server = createServer((req, res) => {
      if (req.url === '/api/v1/auth/login') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ access_token: `token-${++issued}` }));
        return;
      }
      // Only the latest token is valid: the first one "expires" as soon as a second is issued.
      const valid = req.headers.authorization === `Bearer token-${issued}` && issued >= 2;
      res.writeHead(valid ? 200 : 401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: valid }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const client = await Client.signedIn(`http://127.0.0.1:${port}`, { email: 'a@b.c', password: 'p' });
      expect(await client.call('GET', '/anything')).toEqual({ ok: true });
      expect(issued).toBe(2);
      // A client without credentials hands the 401 back.
      const bare = new Client(`http://127.0.0.1:${port}`, 'token-1');
      expect((await bare.send('GET', '/anything')).status).toBe(401);
    } finally {
      server.close();
    }
  });
});
