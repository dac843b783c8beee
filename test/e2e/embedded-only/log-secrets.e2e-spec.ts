import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtApp } from '../../support/built-app';
import { freePort, RunningProcess, startProcess, stopProcess } from '../../support/processes';

const ADMIN = { email: 'logs@strata.test', password: 'admin-password-never-logged' };
const MEMBER = { email: 'member@strata.test', password: 'member-password-never-logged' };

/**
 * The built API at its most verbose, driven through logins, refreshes, API keys, uploads and
 * queries; afterwards its whole output is searched for every credential the run used.
 */
describe('logs of the built API', () => {
  let dataDir: string;
  let server: RunningProcess | null = null;
  let base = '';

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'strata-logs-'));
    const port = await freePort();
    base = `http://127.0.0.1:${port}/api/v1`;
    server = await startProcess(
      builtApp('api'),
      {
        DATA_DIR: dataDir,
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'trace',
        ADMIN_EMAIL: ADMIN.email,
        ADMIN_PASSWORD: ADMIN.password,
      },
      'Strata API listening',
    );
  }, 120_000);

  afterAll(async () => {
    if (server) await stopProcess(server, 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  const call = async (method: string, path: string, body?: unknown, token?: string) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };

  it('carry request, tenant, KB and principal ids, and none of the credentials used', async () => {
    const admin = (await call('POST', '/auth/login', ADMIN)).body;
    expect(
      (await call('POST', '/auth/login', { ...ADMIN, password: 'wrong-password-also-secret' })).status,
    ).toBe(401);
    const tenant = (await call('POST', '/tenants', { slug: 'logs', name: 'Logs' }, admin.access_token)).body;
    await call('POST', `/tenants/${tenant.id}/members`, { ...MEMBER, role: 'admin' }, admin.access_token);
    const member = (await call('POST', '/auth/login', { ...MEMBER, tenant_id: tenant.id })).body;
    const refreshed = (await call('POST', '/auth/refresh', { refresh_token: member.refresh_token })).body;
    expect(refreshed.access_token).toEqual(expect.any(String));
    const kb = (
      await call('POST', `/tenants/${tenant.id}/knowledge-bases`, { name: 'Notes' }, member.access_token)
    ).body;
    const apiKey = (
      await call(
        'POST',
        `/tenants/${tenant.id}/api-keys`,
        { name: 'ci', role: 'editor' },
        member.access_token,
      )
    ).body;
    const kbPath = `/tenants/${tenant.id}/knowledge-bases/${kb.id}`;
    expect(
      (
        await call(
          'POST',
          `${kbPath}/documents`,
          { title: 'n', text: 'Ada Lovelace wrote notes.' },
          apiKey.key,
        )
      ).status,
    ).toBe(202);
    expect(
      (await call('POST', `${kbPath}/query`, { query: 'Who wrote notes?', mode: 'naive' }, apiKey.key))
        .status,
    ).toBe(200);
    await call('POST', '/auth/logout', { refresh_token: refreshed.refresh_token });

    const output = server!.output();
    const stored = JSON.parse(readFileSync(join(dataDir, 'secrets.json'), 'utf8')) as {
      jwt_secret: string;
      master_key: string;
    };
    const secrets = {
      'admin password': ADMIN.password,
      'member password': MEMBER.password,
      'wrong password': 'wrong-password-also-secret',
      'admin access token': admin.access_token,
      'member access token': member.access_token,
      'refresh token': member.refresh_token,
      'second refresh token': refreshed.refresh_token,
      'API key': apiKey.key,
      'API key secret part': apiKey.key.slice(12),
      'JWT secret': stored.jwt_secret,
      'master key': stored.master_key,
    };
    for (const [name, secret] of Object.entries(secrets)) {
      expect({ name, logged: output.includes(secret) }).toEqual({ name, logged: false });
    }

    // The request lines are JSON and say who acted in which tenant and KB.
    const lines = output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const query = lines.find((line) => (line.req as { url?: string } | undefined)?.url?.endsWith('/query'));
    expect(query).toMatchObject({
      tenantId: tenant.id,
      kbId: kb.id,
      principal: `api_key:${apiKey.id}`,
      req: { id: expect.any(String) },
      res: { statusCode: 200 },
    });
  }, 60_000);
});
