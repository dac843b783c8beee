import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import expressStaticGzip from 'express-static-gzip';

export const CONSOLE_PATH = '/console';

/**
 * Where `npm run build:console` put the console: dist/console beside dist/apps/api (the image's
 * layout), or under the working directory (tests run the API from source). A build has `assets`;
 * the console's source directory does not.
 */
export function consoleDir(): string | null {
  const candidates = [resolve(__dirname, '../../console'), resolve(process.cwd(), 'dist/console')];
  return (
    candidates.find((dir) => existsSync(join(dir, 'index.html')) && existsSync(join(dir, 'assets'))) ?? null
  );
}

const POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

/**
 * Serves the web console at /console: hashed assets cached for good, in the brotli or gzip copy
 * the build made when the browser accepts one, and index.html for every
 * other path under it (the console routes in the browser). It is static and calls only the public
 * API. Without a build, /console says how to make one.
 */
export function consoleRoutes(dir: string | null) {
  const router = express.Router();
  router.use((_req: Request, res: Response, next: NextFunction) => {
    res.setHeader('Content-Security-Policy', POLICY);
    next();
  });
  if (dir === null) {
    router.use((_req: Request, res: Response) => {
      res.status(404).type('text/plain').send('The console is not built: run `npm run build:console`.\n');
    });
    return router;
  }
  const index = readFileSync(join(dir, 'index.html'));
  router.use(
    '/assets',
    expressStaticGzip(join(dir, 'assets'), {
      enableBrotli: true,
      orderPreference: ['br', 'gzip'],
      index: false,
      serveStatic: { immutable: true, maxAge: '365d', index: false },
    }),
  );
  router.use('/assets', (_req: Request, res: Response) => {
    res.status(404).type('text/plain').send('Not found\n');
  });
  router.get('/{*path}', (_req: Request, res: Response) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.type('html').send(index);
  });
  return router;
}
