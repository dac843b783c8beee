import { createServer, type Server } from 'node:http';
import { constantTimeEqual } from '../crypto/tokens';
import { metricsRegistry } from './metrics';

export const METRICS_TOKEN_REQUIRED = 'GET /metrics wants the METRICS_TOKEN bearer token';

/** Whether a scrape may read the metrics: always without a token, else with `Bearer <token>`. */
export function metricsScrapeAllowed(authorization: string | undefined, token: string | null): boolean {
  return token === null || constantTimeEqual(authorization ?? '', `Bearer ${token}`);
}

/**
 * A bare HTTP server answering GET /metrics with this process's metrics, for processes without
 * an HTTP API (the worker). With `token`, it wants `Authorization: Bearer <token>`.
 */
export function startMetricsServer(port: number, host: string, token: string | null): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    if (!metricsScrapeAllowed(req.headers.authorization, token)) {
      res.writeHead(401, { 'content-type': 'text/plain' }).end(`${METRICS_TOKEN_REQUIRED}\n`);
      return;
    }
    metricsRegistry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': metricsRegistry.contentType }).end(text),
      () => res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics failed\n'),
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
