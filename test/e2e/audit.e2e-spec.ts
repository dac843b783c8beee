import { DataSource } from 'typeorm';
import { AuditService, AuditVerifier, PLATFORM_CHAIN } from '@strata/audit';
import { addMember, bearer, createKnowledgeBase, createTenant, loginAdmin, Tenant } from '../factories';
import { describeE2E, startTestApp, TestApp } from '../support/test-app';

interface Row {
  seq: string;
  action: string;
  outcome: string;
  actor_type: string;
  actor_id: string | null;
  kb_id: string | null;
  resource_id: string | null;
  request_id: string | null;
  ip: string | null;
  user_agent: string | null;
}

describeE2E('audit trail', () => {
  let t: TestApp;
  let db: DataSource;
  let tenant: Tenant;
  let admin: { token: string; userId: string };

  beforeAll(async () => {
    t = await startTestApp();
    db = t.app.get(DataSource);
    const platform = await loginAdmin(t.http);
    tenant = await createTenant(t.http, platform);
    admin = await addMember(t.http, platform, tenant, { role: 'admin' });
  });
  afterAll(() => t.close());

  const eventsOf = (requestId: string): Promise<Row[]> =>
    db.query('SELECT * FROM audit_events WHERE request_id = $1', [requestId]);

  it('records a mutation with who, what, where from and its request id', async () => {
    const res = await t.http
      .post(`/api/v1/tenants/${tenant.id}/knowledge-bases`)
      .set(bearer(admin.token))
      .set('User-Agent', 'audit-test/1.0')
      .send({ name: 'Audited' });
    expect(res.status).toBe(201);
    const [event, ...rest] = await eventsOf(res.headers['x-request-id']);
    expect(rest).toEqual([]);
    expect(event).toMatchObject({
      action: 'knowledge_base.create',
      outcome: 'success',
      actor_type: 'user',
      actor_id: admin.userId,
      kb_id: res.body.id,
      resource_id: res.body.id,
      user_agent: 'audit-test/1.0',
    });
    expect(event.ip).toMatch(/127\.0\.0\.1|::1/);
  });

  it('records logins, successful and failed, on the platform chain or the bound tenant', async () => {
    const ok = await t.http
      .post('/api/v1/auth/login')
      .send({ email: 'root@strata.test', password: 'platform-admin-password' });
    const bad = await t.http
      .post('/api/v1/auth/login')
      .send({ email: 'root@strata.test', password: 'wrong' });
    expect(await eventsOf(ok.headers['x-request-id'])).toMatchObject([
      { action: 'auth.login', outcome: 'success' },
    ]);
    const [failed] = await eventsOf(bad.headers['x-request-id']);
    expect(failed).toMatchObject({ action: 'auth.login_failed', outcome: 'denied', actor_type: 'anonymous' });
  });

  it('records refresh, a failed refresh and logout', async () => {
    const login = await t.http
      .post('/api/v1/auth/login')
      .send({ email: 'root@strata.test', password: 'platform-admin-password' });
    const refreshed = await t.http
      .post('/api/v1/auth/refresh')
      .send({ refresh_token: login.body.refresh_token });
    const replay = await t.http
      .post('/api/v1/auth/refresh')
      .send({ refresh_token: login.body.refresh_token });
    const logout = await t.http
      .post('/api/v1/auth/logout')
      .send({ refresh_token: refreshed.body.refresh_token });
    expect(await eventsOf(refreshed.headers['x-request-id'])).toMatchObject([
      { action: 'auth.refresh', outcome: 'success' },
    ]);
    expect(await eventsOf(replay.headers['x-request-id'])).toMatchObject([
      { action: 'auth.refresh_failed', outcome: 'denied' },
    ]);
    expect(await eventsOf(logout.headers['x-request-id'])).toMatchObject([
      { action: 'auth.logout', outcome: 'success' },
    ]);
  });

  it('records a 401 on a tenant route in that tenant’s chain', async () => {
    const res = await t.http.get(`/api/v1/tenants/${tenant.slug}/members`);
    expect(res.status).toBe(401);
    const rows: Array<{ tenant_id: string; action: string; outcome: string }> = await db.query(
      'SELECT tenant_id, action, outcome FROM audit_events WHERE request_id = $1',
      [res.headers['x-request-id']],
    );
    expect(rows).toEqual([{ tenant_id: tenant.id, action: 'member.list', outcome: 'denied' }]);
  });

  it('records repeated refusals without credentials from one source as few events with their count', async () => {
    const probed = await createTenant(t.http, await loginAdmin(t.http));
    for (let i = 0; i < 45; i++)
      await t.http
        .get(`/api/v1/tenants/${probed.id}/knowledge-bases`)
        .set('Authorization', 'Bearer forged')
        .expect(401);
    const rows: Array<{ details: { repeats: number; window_seconds: number; status: number } }> =
      await db.query(
        `SELECT details FROM audit_events
       WHERE tenant_id = $1 AND action = 'knowledge_base.list' AND outcome = 'denied' ORDER BY seq`,
        [probed.id],
      );
    expect(rows.map((r) => r.details.repeats)).toEqual([1, 2, 4, 8, 16, 32]);
    expect(rows[0].details).toMatchObject({ status: 401, window_seconds: 60 });
  });

  it('records a failed mutation as an error, and the rolled-back change leaves no success event', async () => {
    const kb = await createKnowledgeBase(t.http, admin.token, tenant);
    const dup = await t.http
      .post(`/api/v1/tenants/${tenant.id}/knowledge-bases`)
      .set(bearer(admin.token))
      .send({ name: 'x', slug: kb.slug });
    expect(dup.status).toBe(409);
    expect(await eventsOf(dup.headers['x-request-id'])).toMatchObject([
      { action: 'knowledge_base.create', outcome: 'error' },
    ]);
  });

  it('refuses UPDATE, DELETE and TRUNCATE of audit rows through SQL', async () => {
    for (const sql of [
      "UPDATE audit_events SET outcome = 'success'",
      'DELETE FROM audit_events',
      'TRUNCATE audit_events',
    ]) {
      await expect(db.query(sql)).rejects.toThrow(/append-only/);
    }
    const [{ count }] = await db.query('SELECT count(*)::int AS count FROM audit_events');
    expect(count).toBeGreaterThan(0);
  });

  it('appends a batch of events across chains in one go, each chain intact and in the given order', async () => {
    const record = (tenantId: string | null, n: number) => ({
      action: 'document.graph',
      outcome: 'success' as const,
      tenantId,
      resourceType: 'document',
      resourceId: null,
      actor: { type: 'system' as const, id: null },
      details: { n },
    });
    const batch = [record(tenant.id, 1), record(null, 2), record(tenant.id, 3), record(tenant.id, 4)];
    const events = await db.transaction((manager) => t.app.get(AuditService).recordMany(batch, manager));

    expect(events.map((e) => [e.chain, e.details])).toEqual([
      [tenant.id, { n: 1 }],
      [PLATFORM_CHAIN, { n: 2 }],
      [tenant.id, { n: 3 }],
      [tenant.id, { n: 4 }],
    ]);
    const [first, , third, fourth] = events;
    expect([Number(third.seq) - Number(first.seq), Number(fourth.seq) - Number(third.seq)]).toEqual([1, 1]);
    expect([third.prevHash, fourth.prevHash]).toEqual([first.hash, third.hash]);
    const stored = await db.query(
      `SELECT seq::text AS seq, details FROM audit_events WHERE chain = $1 AND seq >= $2 ORDER BY audit_events.seq`,
      [tenant.id, first.seq],
    );
    expect(stored).toEqual([first, third, fourth].map((e) => ({ seq: e.seq, details: e.details })));
    const verifier = t.app.get(AuditVerifier);
    expect(await verifier.verify(tenant.id)).toMatchObject({ ok: true, firstBroken: null });
    expect(await verifier.verify(PLATFORM_CHAIN)).toMatchObject({ ok: true, firstBroken: null });
  });

  it('keeps an intact chain per tenant, and finds a tampered row', async () => {
    const verifier = t.app.get(AuditVerifier);
    const before = await verifier.verify(tenant.id);
    expect(before).toMatchObject({ ok: true, firstBroken: null });
    expect(before.checked).toBeGreaterThanOrEqual(3);

    // Someone with database-owner rights edits history (this suite's database is a throwaway copy).
    const [victim] = await db.query(
      'SELECT seq FROM audit_events WHERE chain = $1 ORDER BY seq LIMIT 1 OFFSET 1',
      [tenant.id],
    );
    await db.query('ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update_delete');
    await db.query(`UPDATE audit_events SET details = '{"name":"innocent"}' WHERE chain = $1 AND seq = $2`, [
      tenant.id,
      victim.seq,
    ]);
    await db.query('ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update_delete');

    const after = await verifier.verify(tenant.id);
    expect(after.ok).toBe(false);
    expect(after.firstBroken).toMatchObject({
      seq: String(victim.seq),
      reason: expect.stringContaining('hash'),
    });
    expect(after.checked).toBe(Number(victim.seq) - 1);
  });
});
