import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { addMember, bearer, createTenant, loginAdmin, MEMBER_PASSWORD, Tenant } from '../factories';
import { describeE2E, startTestApp, TestApp } from '../support/test-app';

describeE2E('accounts (platform admin)', () => {
  let t: TestApp;
  let db: DataSource;
  let adminToken: string;
  let adminId: string;
  let tenant: Tenant;
  let tenantAdmin: { token: string };

  beforeAll(async () => {
    t = await startTestApp({ LOGIN_MAX_FAILURES_PER_ACCOUNT: '3' });
    db = t.app.get(DataSource);
    adminToken = await loginAdmin(t.http);
    adminId = (await t.http.get('/api/v1/auth/me').set(bearer(adminToken))).body.user.id;
    tenant = await createTenant(t.http, adminToken);
    tenantAdmin = await addMember(t.http, adminToken, tenant, { role: 'admin' });
  });
  afterAll(() => t.close());

  const newMember = () => addMember(t.http, adminToken, tenant, { role: 'viewer' });
  const asAdmin = (method: 'get' | 'post', path: string) =>
    t.http[method](`/api/v1${path}`).set(bearer(adminToken));
  const loginStatus = async (email: string, password = MEMBER_PASSWORD) =>
    (await t.http.post('/api/v1/auth/login').send({ email, password })).status;
  const readWith = async (token: string) =>
    (await t.http.get(`/api/v1/tenants/${tenant.id}`).set(bearer(token))).status;
  const auditOf = async (requestId: string) =>
    db.query('SELECT action, resource_id, details FROM audit_events WHERE request_id = $1', [requestId]);

  it('lists accounts to platform admins only, or finds one by email', async () => {
    const member = await newMember();
    const found = await asAdmin('get', `/users?email=${encodeURIComponent(member.email.toUpperCase())}`);
    expect(found.status).toBe(200);
    expect(found.body).toEqual({
      items: [
        {
          id: member.userId,
          email: member.email,
          platform_admin: false,
          disabled_at: null,
          created_at: expect.any(String),
        },
      ],
      next_cursor: null,
    });
    const page = await asAdmin('get', '/users?limit=1');
    expect(page.body.items).toHaveLength(1);
    expect(page.body.next_cursor).toEqual(expect.any(String));
    const next = await asAdmin('get', `/users?limit=1&cursor=${page.body.next_cursor}`);
    expect(next.body.items[0].id).not.toBe(page.body.items[0].id);
    for (const token of [tenantAdmin.token, member.token]) {
      expect((await t.http.get('/api/v1/users').set(bearer(token))).status).toBe(403);
      const reset = await t.http.post(`/api/v1/users/${member.userId}/password-reset`).set(bearer(token));
      expect(reset.status).toBe(403);
    }
  });

  it('disables an account: its tokens stop at once and it signs in no more, until enabled', async () => {
    const member = await newMember();
    const session = await t.http
      .post('/api/v1/auth/login')
      .send({ email: member.email, password: MEMBER_PASSWORD });
    const disabled = await asAdmin('post', `/users/${member.userId}/disable`);
    expect(disabled.status).toBe(200);
    expect(disabled.body).toMatchObject({ id: member.userId, disabled_at: expect.any(String) });
    expect(await readWith(member.token)).toBe(401);
    expect(
      (await t.http.post('/api/v1/auth/refresh').send({ refresh_token: session.body.refresh_token })).status,
    ).toBe(401);
    expect(await loginStatus(member.email)).toBe(401);
    expect(await auditOf(disabled.headers['x-request-id'])).toEqual([
      { action: 'user.disable', resource_id: member.userId, details: { sessions_ended: 2 } },
    ]);
    // Disabling again changes nothing and records nothing.
    const again = await asAdmin('post', `/users/${member.userId}/disable`);
    expect(again.status).toBe(200);
    expect(await auditOf(again.headers['x-request-id'])).toEqual([]);

    const enabled = await asAdmin('post', `/users/${member.userId}/enable`);
    expect(enabled.body).toMatchObject({ id: member.userId, disabled_at: null });
    expect(await readWith(member.token)).toBe(401); // its old sessions stay ended
    expect(await loginStatus(member.email)).toBe(200);
  });

  it('refuses to disable the caller, an unknown account or a malformed id', async () => {
    const self = await asAdmin('post', `/users/${adminId}/disable`);
    expect(self.status).toBe(409);
    expect(self.body.code).toBe('CANNOT_DISABLE_SELF');
    const unknown = await asAdmin('post', `/users/${randomUUID()}/disable`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('USER_NOT_FOUND');
    expect((await asAdmin('post', `/users/${randomUUID()}/password-reset`)).body.code).toBe('USER_NOT_FOUND');
    const malformed = await asAdmin('post', '/users/nope/enable');
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe('INVALID_ID');
    expect(await readWith(adminToken)).toBe(200);
  });

  it('resets a password with a one-time token that replaces earlier ones, ending every session', async () => {
    const member = await newMember();
    const first = await asAdmin('post', `/users/${member.userId}/password-reset`);
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ token: expect.stringMatching(/^pwr_/), expires_at: expect.any(String) });
    const second = await asAdmin('post', `/users/${member.userId}/password-reset`);
    expect(await auditOf(second.headers['x-request-id'])).toMatchObject([
      { action: 'user.password_reset_issue', resource_id: member.userId, details: { replaced: 1 } },
    ]);
    // Nothing in the audit trail holds a token.
    const trail = JSON.stringify(await db.query('SELECT details FROM audit_events'));
    expect(trail).not.toContain(second.body.token.slice(4));

    const redeem = (token: string, password = 'a-brand-new-password') =>
      t.http.post('/api/v1/auth/password/reset').send({ token, new_password: password });
    const replaced = await redeem(first.body.token);
    expect(replaced.status).toBe(400);
    expect(replaced.body.code).toBe('INVALID_PASSWORD_RESET');
    expect((await redeem(second.body.token, 'short')).body.code).toBe('VALIDATION_FAILED');
    expect(await readWith(member.token)).toBe(200);

    const done = await redeem(second.body.token);
    expect(done.status).toBe(204);
    expect(await readWith(member.token)).toBe(401);
    expect(await loginStatus(member.email)).toBe(401);
    expect(await loginStatus(member.email, 'a-brand-new-password')).toBe(200);
    expect((await redeem(second.body.token, 'yet-another-password')).body.code).toBe(
      'INVALID_PASSWORD_RESET',
    );
    expect(await auditOf(done.headers['x-request-id'])).toMatchObject([
      { action: 'auth.password_reset', resource_id: member.userId },
    ]);
  });

  it('lets a locked-out person back in through a reset', async () => {
    const member = await newMember();
    for (let i = 0; i < 3; i++) await loginStatus(member.email, 'wrong-password');
    expect(await loginStatus(member.email)).toBe(429);
    const { token } = (await asAdmin('post', `/users/${member.userId}/password-reset`)).body;
    await t.http
      .post('/api/v1/auth/password/reset')
      .send({ token, new_password: 'a-brand-new-password' })
      .expect(204);
    expect(await loginStatus(member.email, 'a-brand-new-password')).toBe(200);
  });

  it('removes a person from every tenant at once, each removal on its own tenant, the account kept', async () => {
    const second = await createTenant(t.http, adminToken);
    const person = await newMember();
    await addMember(t.http, adminToken, second, { role: 'editor' }, person.email);
    const inSecond = await t.http
      .post('/api/v1/auth/login')
      .send({ email: person.email, password: MEMBER_PASSWORD, tenant_id: second.id });
    expect(
      (await t.http.delete(`/api/v1/users/${person.userId}/memberships`).set(bearer(tenantAdmin.token)))
        .status,
    ).toBe(403);

    const res = await t.http.delete(`/api/v1/users/${person.userId}/memberships`).set(bearer(adminToken));
    expect(res.status).toBe(200);
    expect([...res.body.tenant_ids].sort()).toEqual([tenant.id, second.id].sort());
    expect(await readWith(person.token)).toBe(404);
    const secondRead = await t.http
      .get(`/api/v1/tenants/${second.id}`)
      .set(bearer(inSecond.body.access_token as string));
    expect(secondRead.status).toBe(404);
    const events = await db.query(
      'SELECT action, tenant_id, resource_id FROM audit_events WHERE request_id = $1 ORDER BY action, tenant_id',
      [res.headers['x-request-id']],
    );
    expect(events).toEqual(
      expect.arrayContaining([
        { action: 'member.delete', tenant_id: tenant.id, resource_id: person.userId },
        { action: 'member.delete', tenant_id: second.id, resource_id: person.userId },
        { action: 'user.remove_from_tenants', tenant_id: null, resource_id: person.userId },
      ]),
    );
    expect(await loginStatus(person.email)).toBe(200); // the account stays, in no tenant
  });

  it("refuses to remove a tenant's only admin anywhere, removing nothing", async () => {
    const own = await createTenant(t.http, adminToken);
    const founder = await addMember(t.http, adminToken, own, { role: 'admin' });
    await addMember(t.http, adminToken, tenant, { role: 'viewer' }, founder.email);
    const res = await t.http.delete(`/api/v1/users/${founder.userId}/memberships`).set(bearer(adminToken));
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('LAST_TENANT_ADMIN');
    expect(res.body.message).toContain(own.slug);
    const me = await t.http.get('/api/v1/auth/me').set(bearer(founder.token));
    expect(me.body.memberships).toHaveLength(2);
    const unknown = await t.http.delete(`/api/v1/users/${randomUUID()}/memberships`).set(bearer(adminToken));
    expect(unknown.body.code).toBe('USER_NOT_FOUND');
  });
});
