import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EgressPolicy } from '@strata/core';
import { EgressGuard } from './egress-guard';
import { ProviderError } from './provider-error';
import { postJson } from './provider-http';

describe('provider calls held to the egress policy', () => {
  let server: Server;
  let port: number;
  let requests: string[];
  let answer: { status: number; headers: Record<string, string> };

  beforeAll(async () => {
    server = createServer((req, res) => {
      requests.push(req.url ?? '');
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(JSON.stringify({ ok: true }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  beforeEach(() => {
    requests = [];
    answer = { status: 200, headers: {} };
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  /** A guard whose resolver gives `provider.test` the addresses listed. */
  const guardWith = (policy: string, addresses: string[] = ['127.0.0.1']) =>
    new EgressGuard(EgressPolicy.parse(policy), async (hostname) =>
      hostname === 'provider.test' ? addresses.map((address) => ({ address, family: 4 })) : [],
    );
  /** The call's failure (it must fail). */
  const failure = (url: string, egress: EgressGuard | null) =>
    call(url, egress).then(
      () => {
        throw new Error('the call went through');
      },
      (error: ProviderError) => error,
    );
  const call = (url: string, egress: EgressGuard | null) =>
    postJson(url, {}, { apiKey: null, timeoutMs: 2000, maxRetries: 2, backoffMs: 1, egress });

  it('refuses an address literal the policy does not allow, without connecting', async () => {
    const error = await failure(`http://127.0.0.1:${port}/v1/embeddings`, guardWith('public'));
    expect(error).toMatchObject({ kind: 'forbidden' });
    expect(error.message).toMatch(/egress policy \(PROVIDER_ALLOWED_HOSTS\)/);
    expect(requests).toEqual([]);
  });

  it('refuses a name that resolves to loopback, without connecting or retrying', async () => {
    const error = await failure(`http://provider.test:${port}/v1`, guardWith('public,provider.test'));
    expect(error).toMatchObject({ kind: 'forbidden' });
    expect(error.message).toMatch(/provider\.test/);
    expect(error.message).not.toMatch(/127\.0\.0\.1/);
    expect(requests).toEqual([]);
  });

  it('connects only to the resolved addresses it allows', async () => {
    const guard = guardWith('127.0.0.1/32', ['127.0.0.2', '127.0.0.1']);
    await expect(call(`http://provider.test:${port}/v1`, guard)).resolves.toEqual({ ok: true });
    expect(requests).toEqual(['/v1']);
    await guard.destroy();
  });

  it('does not follow a redirect from an endpoint a tenant chose', async () => {
    answer = { status: 307, headers: { location: 'http://169.254.169.254/latest/meta-data' } };
    const guard = guardWith('127.0.0.1/32');
    const error = await failure(`http://127.0.0.1:${port}/v1`, guard);
    expect(error).toMatchObject({ kind: 'rejected', status: 307 });
    expect(requests).toEqual(['/v1']);
    await guard.destroy();
  });

  it("names no network error's own words for a host that does not answer", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await failure(`http://127.0.0.1:${closedPort}/v1`, null);
    expect(error).toMatchObject({ kind: 'unavailable' });
    expect(error.message).toMatch(/could not be reached/);
    expect(error.message).not.toMatch(/ECONNREFUSED/);
    const cause = error.cause as NodeJS.ErrnoException;
    expect(String(cause.code ?? cause.message)).toMatch(/ECONNREFUSED/);
  });
});
