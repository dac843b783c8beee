import type { NextFunction, Request, Response } from 'express';
import { httpRequestDuration } from './metrics';

/**
 * Times every HTTP request into strata_http_request_duration_seconds, labelled with the route's
 * pattern (`/api/v1/tenants/:tenantId/...`), never the raw URL, so ids do not become labels.
 * Requests no route matched share the label `unmatched`.
 */
export function httpMetricsMiddleware(req: Request, res: Response, next: NextFunction): void {
  const stop = httpRequestDuration.startTimer();
  res.once('close', () => {
    const pattern = (req.route as { path?: unknown } | undefined)?.path;
    const route = typeof pattern === 'string' ? `${req.baseUrl}${pattern}` : 'unmatched';
    stop({ method: req.method, route, status: String(res.statusCode) });
  });
  next();
}
