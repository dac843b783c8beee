import express from 'express';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import request from 'supertest';
import { consoleRoutes } from './console';

const SCRIPT = `console.log(${JSON.stringify('strata '.repeat(200))});`;

describe('consoleRoutes', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'strata-console-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>console</title>');
    writeFileSync(join(dir, 'assets', 'app-1234.js'), SCRIPT);
    writeFileSync(join(dir, 'assets', 'app-1234.js.br'), brotliCompressSync(SCRIPT));
    writeFileSync(join(dir, 'assets', 'app-1234.js.gz'), gzipSync(SCRIPT));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const app = (built: string | null) => express().use('/console', consoleRoutes(built));

  it('answers index.html for every console path, never cached, under a strict policy', async () => {
    for (const path of ['/console', '/console/', '/console/t/abc/kbs/def/query']) {
      const res = await request(app(dir)).get(path).expect(200);
      expect(res.text).toContain('<title>console</title>');
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    }
  });

  it('serves hashed assets for good, and 404 for a missing one', async () => {
    const res = await request(app(dir)).get('/console/assets/app-1234.js').expect(200);
    expect(res.headers['cache-control']).toContain('immutable');
    await request(app(dir)).get('/console/assets/gone-0000.js').expect(404);
  });

  it('serves the brotli or gzip copy the browser accepts, and the plain file otherwise', async () => {
    // supertest decodes gzip but not brotli: read the raw bytes.
    const raw = (res: request.Response, done: (err: Error | null, body: Buffer) => void) => {
      const parts: Buffer[] = [];
      res.on('data', (part: Buffer) => parts.push(part));
      res.on('end', () => done(null, Buffer.concat(parts)));
    };
    const get = (encodings: string) =>
      request(app(dir))
        .get('/console/assets/app-1234.js')
        .set('Accept-Encoding', encodings)
        .buffer(true)
        .parse(raw);

    const br = await get('gzip, deflate, br').expect(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['content-type']).toContain('javascript');
    expect(br.headers['cache-control']).toContain('immutable');
    expect(br.headers.vary).toContain('Accept-Encoding');
    expect(Number(br.headers['content-length'])).toBeLessThan(SCRIPT.length / 10);

    const gz = await get('gzip').expect(200);
    expect(gz.headers['content-encoding']).toBe('gzip');

    const plain = await get('identity').expect(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toBe(SCRIPT);
  });

  it('says how to build the console when there is none', async () => {
    const res = await request(app(null)).get('/console/').expect(404);
    expect(res.text).toContain('npm run build:console');
  });
});
