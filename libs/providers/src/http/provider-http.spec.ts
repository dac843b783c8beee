import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { metricsRegistry } from '@strata/core';
import { postJson } from './provider-http';

/** The count of strata_provider_request_duration_seconds observations with this outcome. */
async function calls(outcome: string): Promise<number> {
  const metric = await metricsRegistry.getSingleMetric('strata_provider_request_duration_seconds')!.get();
  const count = metric.values.find(
    (v) =>
      (v as { metricName?: string }).metricName === 'strata_provider_request_duration_seconds_count' &&
      v.labels.outcome === outcome,
  );
  return count?.value ?? 0;
}

describe('postJson metrics', () => {
  let server: Server;
  let url: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const status = req.url === '/bad' ? 400 : 200;
      res
        .writeHead(status, { 'content-type': 'application/json' })
        .end(JSON.stringify({ ok: status === 200 }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const options = { apiKey: null, timeoutMs: 2000, maxRetries: 0 };

  it('records an answered call as ok and a refused one by its failure kind, once per call', async () => {
    const [ok, rejected] = [await calls('ok'), await calls('rejected')];
    await expect(postJson(`${url}/good`, {}, options)).resolves.toEqual({ ok: true });
    await expect(postJson(`${url}/bad`, {}, options)).rejects.toMatchObject({ kind: 'rejected' });
    expect(await calls('ok')).toBe(ok + 1);
    expect(await calls('rejected')).toBe(rejected + 1);
  });
});
