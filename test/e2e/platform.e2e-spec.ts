import { PATH_METADATA, METHOD_METADATA } from '@nestjs/common/constants';
import { RequestMethod } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHECK_POLICIES_KEY, IS_PUBLIC_KEY } from '@strata/authz';
import { addMember, bearer, createKnowledgeBase, createTenant, loginAdmin } from '../factories';
import { describeE2E, startTestApp, TestApp } from '../support/test-app';
import { testDatabaseKind } from '../support/test-database';

interface Route {
  method: string;
  path: string;
  hasPolicy: boolean;
  isPublic: boolean;
}

function registeredRoutes(t: TestApp): Route[] {
  const discovery = t.app.get(DiscoveryService);
  const scanner = t.app.get(MetadataScanner);
  return discovery.getControllers().flatMap((wrapper) => {
    const prototype = Object.getPrototypeOf(wrapper.instance);
    const base = String(Reflect.getMetadata(PATH_METADATA, wrapper.metatype as object) ?? '');
    return scanner.getAllMethodNames(prototype).flatMap((name) => {
      const handler = prototype[name];
      const path = Reflect.getMetadata(PATH_METADATA, handler);
      if (path === undefined) return [];
      const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
      return [
        {
          method,
          path: `/${[base, String(path)].filter((p) => p && p !== '/').join('/')}`,
          hasPolicy: (Reflect.getMetadata(CHECK_POLICIES_KEY, handler) ?? []).length > 0,
          isPublic:
            Reflect.getMetadata(IS_PUBLIC_KEY, handler) === true ||
            Reflect.getMetadata(IS_PUBLIC_KEY, wrapper.metatype as object) === true,
        },
      ];
    });
  });
}

describeE2E('platform', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('every registered route declares a policy or is explicitly public', () => {
    const routes = registeredRoutes(t);
    expect(routes.length).toBeGreaterThanOrEqual(20);
    const unguarded = routes.filter((r) => !r.hasPolicy && !r.isPublic).map((r) => `${r.method} ${r.path}`);
    expect(unguarded).toEqual([]);
    const publicRoutes = routes
      .filter((r) => r.isPublic)
      .map((r) => `${r.method} ${r.path}`)
      .sort();
    expect(publicRoutes).toEqual(
      [
        'GET /health/live',
        'GET /health/ready',
        'POST /auth/login',
        'POST /auth/logout',
        'POST /auth/refresh',
      ].sort(),
    );
  });

  it('describes every route in the OpenAPI document at /docs', async () => {
    const res = await t.http.get('/docs/openapi.json').expect(200);
    const documented = new Set(
      Object.entries(res.body.paths as Record<string, object>).flatMap(([path, ops]) =>
        Object.keys(ops).map((op) => `${op.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
      ),
    );
    for (const route of registeredRoutes(t)) {
      const prefixed = route.path.startsWith('/health') ? route.path : `/api/v1${route.path}`;
      expect(documented).toContain(`${route.method} ${prefixed}`);
    }
    await t.http.get('/docs').expect(200);
  });

  it('reports liveness and readiness', async () => {
    expect((await t.http.get('/health/live')).body).toEqual({ status: 'ok' });
    const ready = await t.http.get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.info.database.status).toBe('up');
  });
});

/** Restart and secrets are properties of the embedded mode only, so only its run declares them. */
if (testDatabaseKind() === 'embedded')
  describe('embedded persistence', () => {
    let dataDir: string;
    beforeAll(() => {
      dataDir = mkdtempSync(join(tmpdir(), 'strata-restart-'));
    });
    afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

    it('keeps every tenant, member, KB and session across a restart', async () => {
      const database = {
        config: { kind: 'embedded' as const, dataDir: join(dataDir, 'pg') },
        drop: async () => undefined,
      };
      const secrets = { JWT_SECRET: 'x'.repeat(40), MASTER_KEY: 'a'.repeat(64) };
      const first = await startTestApp(secrets, database);
      const platform = await loginAdmin(first.http);
      const tenant = await createTenant(first.http, platform);
      const admin = await addMember(first.http, platform, tenant, { role: 'admin' });
      const kb = await createKnowledgeBase(first.http, admin.token, tenant);
      await first.close();

      const second = await startTestApp(secrets, database);
      try {
        const res = await second.http
          .get(`/api/v1/tenants/${tenant.id}/knowledge-bases/${kb.slug}`)
          .set(bearer(admin.token));
        expect(res.status).toBe(200);
        expect(res.body.id).toBe(kb.id);
        const members = await second.http
          .get(`/api/v1/tenants/${tenant.slug}/members`)
          .set(bearer(admin.token));
        expect(members.body.items.map((m: { user_id: string }) => m.user_id)).toContain(admin.userId);
      } finally {
        await second.close();
      }
    });

    it('generates the JWT secret and master key once, in a 0600 file', async () => {
      const { loadConfig, resolveEmbeddedSecrets } = await import('@strata/core');
      const config = loadConfig({ DATA_DIR: dataDir });
      const first = resolveEmbeddedSecrets(config);
      const again = resolveEmbeddedSecrets(config);
      expect(first.jwtSecret).toHaveLength(64);
      expect(again.jwtSecret).toBe(first.jwtSecret);
      expect(again.masterKey!.equals(first.masterKey!)).toBe(true);
      expect(statSync(join(dataDir, 'secrets.json')).mode & 0o777).toBe(0o600);
    });
  });
