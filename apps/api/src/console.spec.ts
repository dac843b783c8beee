import express from 'express';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { consoleRoutes } from './console';

describe('consoleRoutes', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'strata-console-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>console</title>');
    writeFileSync(join(dir, 'assets', 'app-1234.js'), 'console.log(1)');
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

  it('says how to build the console when there is none', async () => {
    const res = await request(app(null)).get('/console/').expect(404);
    expect(res.text).toContain('npm run build:console');
  });
});
