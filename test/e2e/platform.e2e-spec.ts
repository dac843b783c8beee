import { PATH_METADATA, METHOD_METADATA } from '@nestjs/common/constants';
import { RequestMethod } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { CHECK_POLICIES_KEY, IS_PUBLIC_KEY } from '@strata/authz';
import { describeE2E, startTestApp, TestApp } from '../support/test-app';

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
        'GET /metrics',
        'GET /auth/providers',
        // Ollama's version probe, public as in Ollama: the same answer for any tenant, existing or not.
        'GET /tenants/:tenantId/ollama/api/version',
        'POST /auth/ldap/:provider/login',
        'GET /auth/oidc/:provider/login',
        'GET /auth/oidc/:provider/callback',
        'POST /auth/oidc/exchange',
        'POST /auth/login',
        'POST /auth/logout',
        'POST /auth/password/reset',
        'POST /auth/refresh',
        'POST /invitations/accept',
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
      const unprefixed = route.path.startsWith('/health') || route.path === '/metrics';
      const prefixed = unprefixed ? route.path : `/api/v1${route.path}`;
      expect(documented).toContain(`${route.method} ${prefixed}`);
    }
    expect(res.body.components.schemas.ErrorResponse.properties).toHaveProperty('code');
    await t.http.get('/docs').expect(200);
  });

  it('reports liveness and readiness', async () => {
    expect((await t.http.get('/health/live')).body).toEqual({ status: 'ok' });
    const ready = await t.http.get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.info.database.status).toBe('up');
  });

  it('is not ready when the configured Qdrant cannot be reached, and says so', async () => {
    const unreachable = await startTestApp({ QDRANT_URL: 'http://127.0.0.1:1' });
    try {
      const ready = await unreachable.http.get('/health/ready');
      expect(ready.status).toBe(503);
      expect(ready.body).toMatchObject({
        code: 'SERVICE_UNAVAILABLE',
        message: 'Not ready: vectors unavailable',
      });
    } finally {
      await unreachable.close();
    }
  });
});
