import { spawnSync } from 'node:child_process';
import { DataSource } from 'typeorm';
import { addMember, bearer, createKnowledgeBase, createTenant, loginAdmin, Tenant } from '../factories';
import { builtApp } from '../support/built-app';
import { describeE2E, startTestApp, TestApp } from '../support/test-app';
import { createSharedTestDatabase } from '../support/test-database';

const SECRETS = { JWT_SECRET: 'j'.repeat(40), MASTER_KEY: 'c'.repeat(64) };

describeE2E('audit API and CLI', () => {
  let t: TestApp;
  let shared: Awaited<ReturnType<typeof createSharedTestDatabase>>;
  let tenant: Tenant;
  let admin: { token: string; userId: string };
  let viewer: string;
  let platform: string;

  beforeAll(async () => {
    shared = await createSharedTestDatabase();
    t = await startTestApp(SECRETS, shared);
    platform = await loginAdmin(t.http);
    tenant = await createTenant(t.http, platform);
    admin = await addMember(t.http, platform, tenant, { role: 'admin' });
    viewer = (await addMember(t.http, admin.token, tenant, { role: 'viewer' })).token;
    for (let i = 0; i < 3; i++) await createKnowledgeBase(t.http, admin.token, tenant);
    await t.http.get(`/api/v1/tenants/${tenant.id}/members`).set(bearer(viewer)).expect(403);
  }, 120_000);
  afterAll(async () => {
    await t.close();
    await shared.drop();
  });

  const audit = (query = '') => `/api/v1/tenants/${tenant.id}/audit${query}`;

  it('lists the tenant’s events to its admin, filtered and paginated', async () => {
    const all = await t.http.get(audit('?limit=200')).set(bearer(admin.token));
    expect(all.status).toBe(200);
    const actions = all.body.items.map((e: { action: string }) => e.action);
    expect(actions.filter((a: string) => a === 'knowledge_base.create')).toHaveLength(3);
    expect(all.body.items.every((e: { tenant_id: string }) => e.tenant_id === tenant.id)).toBe(true);

    const denied = await t.http.get(audit('?outcome=denied')).set(bearer(admin.token));
    expect(denied.body.items).toMatchObject([
      { action: 'member.list', outcome: 'denied', actor_type: 'user' },
    ]);

    const byActor = await t.http
      .get(audit(`?actor_id=${admin.userId}&action=knowledge_base.create`))
      .set(bearer(admin.token));
    expect(byActor.body.items).toHaveLength(3);

    const future = await t.http
      .get(audit(`?from=${new Date(Date.now() + 60_000).toISOString()}`))
      .set(bearer(admin.token));
    expect(future.body.items).toEqual([]);

    const first = await t.http.get(audit('?limit=2')).set(bearer(admin.token));
    const second = await t.http
      .get(audit(`?limit=2&cursor=${first.body.next_cursor}`))
      .set(bearer(admin.token));
    expect(second.body.items[0].seq).toBe(String(Number(first.body.items[1].seq) + 1));
  });

  it('exports every match as NDJSON', async () => {
    const res = await t.http.get(audit('?format=ndjson')).set(bearer(admin.token));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('application/x-ndjson');
    const lines = res.text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const page = await t.http.get(audit('?limit=200')).set(bearer(admin.token));
    expect(lines.map((e) => e.id)).toEqual(page.body.items.map((e: { id: string }) => e.id));
  });

  it('answers the audit only to tenant admins: 403 in the tenant, 404 outside it', async () => {
    expect((await t.http.get(audit()).set(bearer(viewer))).status).toBe(403);
    expect((await t.http.get(audit()).set(bearer(platform))).status).toBe(403);
    const other = await createTenant(t.http, platform);
    const outsider = await addMember(t.http, platform, other, { role: 'admin' });
    expect((await t.http.get(audit()).set(bearer(outsider.token))).status).toBe(404);
    expect((await t.http.get(audit('?outcome=maybe')).set(bearer(admin.token))).status).toBe(400);
  });

  it('`cli audit verify` passes an intact chain and names the first broken link of a tampered one', async () => {
    await t.close();
    const cli = builtApp('cli');
    const run = () =>
      spawnSync(process.execPath, [cli, 'audit', 'verify', '--tenant', tenant.slug], {
        env: { PATH: process.env.PATH, ...SECRETS, ...shared.env },
        encoding: 'utf8',
        timeout: 60_000,
      });
    const intact = run();
    expect(intact.stdout).toMatch(new RegExp(`audit chain ${tenant.id}: \\d+ events, intact`));
    expect(intact.status).toBe(0);

    t = await startTestApp(SECRETS, shared);
    const db = t.app.get(DataSource);
    await db.query('ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update_delete');
    await db.query(`UPDATE audit_events SET details = '{"forged": true}' WHERE chain = $1 AND seq = 3`, [
      tenant.id,
    ]);
    await db.query('ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update_delete');
    await t.close();

    const broken = run();
    expect(broken.status).toBe(1);
    expect(broken.stderr).toContain('BROKEN at seq 3');
    t = await startTestApp(SECRETS, shared);
  }, 120_000);
});
