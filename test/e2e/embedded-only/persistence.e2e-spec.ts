import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addMember, bearer, createKnowledgeBase, createTenant, loginAdmin } from '../../factories';
import { startTestApp } from '../../support/test-app';

/** Restart and generated secrets are properties of the embedded mode. */
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
