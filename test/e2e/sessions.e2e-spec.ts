import { createHmac } from 'node:crypto';
import { DataSource } from 'typeorm';
import { addMember, bearer, createTenant, loginAdmin, MEMBER_PASSWORD, Tenant } from '../factories';
import { describeE2E, startTestApp, TestApp } from '../support/test-app';

interface SignIn {
  access: string;
  refresh: string;
  sessionId: string;
}

const sessionOf = (jwt: string): string =>
  JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8')).sid as string;

describeE2E('sessions', () => {
  let t: TestApp;
  let db: DataSource;
  let adminToken: string;
  let tenant: Tenant;

  beforeAll(async () => {
    t = await startTestApp();
    db = t.app.get(DataSource);
    adminToken = await loginAdmin(t.http);
    tenant = await createTenant(t.http, adminToken);
  });
  afterAll(() => t.close());

  const newMember = () => addMember(t.http, adminToken, tenant, { role: 'viewer' });

  async function signIn(
    email: string,
    userAgent = 'sessions-test',
    password = MEMBER_PASSWORD,
  ): Promise<SignIn> {
    const res = await t.http
      .post('/api/v1/auth/login')
      .set('User-Agent', userAgent)
      .send({ email, password, tenant_id: tenant.id });
    expect(res.status).toBe(200);
    return {
      access: res.body.access_token,
      refresh: res.body.refresh_token,
      sessionId: sessionOf(res.body.access_token),
    };
  }

  /** The status a KB list (a tenant read) answers with this access token. */
  const readWith = async (access: string) =>
    (await t.http.get(`/api/v1/tenants/${tenant.id}/knowledge-bases`).set(bearer(access))).status;
  const refreshWith = async (refresh: string) =>
    (await t.http.post('/api/v1/auth/refresh').send({ refresh_token: refresh })).status;
  const auditOf = async (requestId: string) =>
    db.query('SELECT action, outcome, resource_id, details FROM audit_events WHERE request_id = $1', [
      requestId,
    ]);

  it("lists the caller's live sessions with where each came from, marking the current one", async () => {
    const member = await newMember();
    const laptop = await signIn(member.email, 'Firefox on a laptop');
    const phone = await signIn(member.email, 'Safari on a phone');
    const res = await t.http.get('/api/v1/auth/sessions').set(bearer(phone.access));
    expect(res.status).toBe(200);
    const byId = new Map((res.body as Array<Record<string, unknown>>).map((s) => [s.id, s]));
    expect(byId.get(laptop.sessionId)).toMatchObject({
      current: false,
      tenant_id: tenant.id,
      user_agent: 'Firefox on a laptop',
      ip: expect.stringMatching(/127\.0\.0\.1|::1/),
      created_at: expect.any(String),
      last_used_at: expect.any(String),
      expires_at: expect.any(String),
    });
    expect(byId.get(phone.sessionId)).toMatchObject({ current: true, user_agent: 'Safari on a phone' });
    // addMember's own sign-in is a session too; another user's never shows.
    expect(res.body).toHaveLength(3);
    const admins = await t.http.get('/api/v1/auth/sessions').set(bearer(adminToken));
    expect((admins.body as Array<{ id: string }>).map((s) => s.id)).not.toContain(laptop.sessionId);
  });

  it("logout stops the session's access token at once, and no other session", async () => {
    const member = await newMember();
    const [ending, other] = [await signIn(member.email), await signIn(member.email)];
    expect(await readWith(ending.access)).toBe(200);
    await t.http.post('/api/v1/auth/logout').send({ refresh_token: ending.refresh }).expect(204);
    expect(await readWith(ending.access)).toBe(401);
    expect(await refreshWith(ending.refresh)).toBe(401);
    expect(await readWith(other.access)).toBe(200);
  });

  it('ends one of the caller’s sessions by id; another user’s session is not found', async () => {
    const [member, stranger] = [await newMember(), await newMember()];
    const [mine, lost] = [await signIn(member.email), await signIn(member.email)];
    const theirs = await signIn(stranger.email);

    const foreign = await t.http.delete(`/api/v1/auth/sessions/${theirs.sessionId}`).set(bearer(mine.access));
    expect(foreign.status).toBe(404);
    expect(foreign.body.code).toBe('SESSION_NOT_FOUND');
    expect(await readWith(theirs.access)).toBe(200);

    const ended = await t.http.delete(`/api/v1/auth/sessions/${lost.sessionId}`).set(bearer(mine.access));
    expect(ended.status).toBe(204);
    expect(await readWith(lost.access)).toBe(401);
    expect(await refreshWith(lost.refresh)).toBe(401);
    expect(await readWith(mine.access)).toBe(200);
    expect(await auditOf(ended.headers['x-request-id'])).toEqual([
      { action: 'auth.session_revoke', outcome: 'success', resource_id: lost.sessionId, details: {} },
    ]);
    const again = await t.http.delete(`/api/v1/auth/sessions/${lost.sessionId}`).set(bearer(mine.access));
    expect(again.status).toBe(404);
    const malformed = await t.http.delete('/api/v1/auth/sessions/not-a-uuid').set(bearer(mine.access));
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe('INVALID_ID');
  });

  it('signs out everywhere: every session of the caller ends, this one too', async () => {
    const member = await newMember();
    const [here, there] = [await signIn(member.email), await signIn(member.email)];
    const bystander = await newMember();
    const res = await t.http.delete('/api/v1/auth/sessions').set(bearer(here.access));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ended: 3 }); // addMember's sign-in, here and there
    for (const session of [here, there]) {
      expect(await readWith(session.access)).toBe(401);
      expect(await refreshWith(session.refresh)).toBe(401);
    }
    expect(await readWith(bystander.token)).toBe(200);
    expect(await auditOf(res.headers['x-request-id'])).toMatchObject([
      { action: 'auth.sign_out_everywhere', outcome: 'success', details: { sessions: 3 } },
    ]);
  });

  it('changes a password only with the current one, ending every other session', async () => {
    const member = await newMember();
    const [here, there] = [await signIn(member.email), await signIn(member.email)];
    const change = (current: string, next: string) =>
      t.http
        .post('/api/v1/auth/password')
        .set(bearer(here.access))
        .send({ current_password: current, new_password: next });

    const wrong = await change('not-my-password', 'a-new-long-password');
    expect(wrong.status).toBe(403);
    expect(wrong.body.code).toBe('INVALID_CURRENT_PASSWORD');
    expect(await readWith(here.access)).toBe(200); // a wrong password does not end the session
    const short = await change(MEMBER_PASSWORD, 'short');
    expect(short.status).toBe(400);
    expect(short.body.code).toBe('VALIDATION_FAILED');
    expect(await readWith(there.access)).toBe(200);

    const changed = await change(MEMBER_PASSWORD, 'a-new-long-password');
    expect(changed.status).toBe(204);
    expect(await readWith(here.access)).toBe(200);
    expect(await readWith(there.access)).toBe(401);
    expect(await refreshWith(there.refresh)).toBe(401);
    expect(await refreshWith(here.refresh)).toBe(200);
    const oldPassword = await t.http
      .post('/api/v1/auth/login')
      .send({ email: member.email, password: MEMBER_PASSWORD });
    expect(oldPassword.status).toBe(401);
    await signIn(member.email, 'after the change', 'a-new-long-password');
    expect(await auditOf(changed.headers['x-request-id'])).toMatchObject([
      {
        action: 'auth.password_change',
        outcome: 'success',
        resource_id: member.userId,
        details: { other_sessions_ended: 2 },
      },
    ]);
  });

  it('gives an API key no sessions and no password', async () => {
    const tenantAdmin = await addMember(t.http, adminToken, tenant, { role: 'admin' });
    const key = await t.http
      .post(`/api/v1/tenants/${tenant.id}/api-keys`)
      .set(bearer(tenantAdmin.token))
      .send({ name: 'service', role: 'admin' });
    expect(key.status).toBe(201);
    const asKey = { 'X-API-Key': key.body.key as string };
    expect((await t.http.get('/api/v1/auth/sessions').set(asKey)).status).toBe(403);
    expect((await t.http.delete('/api/v1/auth/sessions').set(asKey)).status).toBe(403);
    const password = await t.http
      .post('/api/v1/auth/password')
      .set(asKey)
      .send({ current_password: 'x', new_password: 'a-new-long-password' });
    expect(password.status).toBe(403);
  });

  it('refuses an access token that names no session, or a session of another user', async () => {
    const member = await newMember();
    const mine = await signIn(member.email);
    const other = await signIn((await newMember()).email);
    const [header, body] = mine.access.split('.');
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    // Signed with the API's own secret (the test app's config has it): only the claims are wrong.
    const sign = (claims: object) => {
      const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
      const mac = createHmac('sha256', t.config.jwtSecret!).update(`${header}.${body}`).digest('base64url');
      return `${header}.${body}.${mac}`;
    };
    const { sid: _sid, ...withoutSession } = payload;
    expect(await readWith(sign(withoutSession))).toBe(401);
    expect(await readWith(sign({ ...payload, sid: other.sessionId }))).toBe(401);
    expect(await readWith(sign(payload))).toBe(200);
  });
});
