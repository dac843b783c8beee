import { DataSource } from 'typeorm';
import { createHmac } from 'node:crypto';
import { addMember, bearer, createTenant, login, loginAdmin, MEMBER_PASSWORD, Tenant } from '../factories';
import { ADMIN_EMAIL, ADMIN_PASSWORD, describeE2E, startTestApp, TestApp } from '../support/test-app';

const decode = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));
const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

describeE2E('auth', () => {
  let t: TestApp;
  let adminToken: string;
  let tenant: Tenant;
  let editor: { email: string; userId: string; token: string };

  beforeAll(async () => {
    t = await startTestApp({ LOGIN_MAX_FAILURES_PER_ACCOUNT: '3' });
    adminToken = await loginAdmin(t.http);
    tenant = await createTenant(t.http, adminToken);
    editor = await addMember(t.http, adminToken, tenant, { role: 'editor' });
  });
  afterAll(() => t.close());

  it('logs in and issues the ADR payload with a 15 minute access token', async () => {
    const res = await t.http
      .post('/api/v1/auth/login')
      .send({ email: editor.email, password: MEMBER_PASSWORD });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ token_type: 'Bearer', expires_in: 900 });
    const payload = decode(res.body.access_token);
    expect(payload).toMatchObject({
      sub: editor.userId,
      tenant_id: tenant.id,
      knowledge_base_ids: null,
      role: 'editor',
      permissions: { create_kb: false, delete_documents: true, run_queries: true },
    });
    expect(payload.exp - payload.iat).toBe(900);
    expect(payload.platform_admin).toBeUndefined();
    expect(decode(adminToken).platform_admin).toBe(true);
  });

  it('answers every login failure the same way', async () => {
    const wrongPassword = await t.http
      .post('/api/v1/auth/login')
      .send({ email: ADMIN_EMAIL, password: 'nope-nope-nope' });
    const unknownEmail = await t.http
      .post('/api/v1/auth/login')
      .send({ email: 'ghost@example.test', password: 'x' });
    const foreignTenant = await t.http
      .post('/api/v1/auth/login')
      .send({ email: editor.email, password: MEMBER_PASSWORD, tenant_id: 'not-my-tenant' });
    for (const res of [wrongPassword, unknownEmail, foreignTenant]) {
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ code: 'INVALID_CREDENTIALS', message: 'Invalid email or password' });
    }
  });

  it('locks an account after repeated failures, even for the right password', async () => {
    const victim = await addMember(t.http, adminToken, tenant, { role: 'viewer' });
    for (let i = 0; i < 3; i++) {
      await t.http
        .post('/api/v1/auth/login')
        .send({ email: victim.email, password: 'wrong-password' })
        .expect(401);
    }
    const locked = await t.http
      .post('/api/v1/auth/login')
      .send({ email: victim.email, password: MEMBER_PASSWORD });
    expect(locked.status).toBe(429);
    expect(locked.body.code).toBe('TOO_MANY_LOGIN_ATTEMPTS');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('lets a platform admin unlock a locked account at once, and nobody else', async () => {
    const victim = await addMember(t.http, adminToken, tenant, { role: 'viewer' });
    for (let i = 0; i < 3; i++)
      await t.http.post('/api/v1/auth/login').send({ email: victim.email, password: 'wrong' }).expect(401);
    const loginAs = () =>
      t.http.post('/api/v1/auth/login').send({ email: victim.email, password: MEMBER_PASSWORD });
    expect((await loginAs()).status).toBe(429);

    const tenantAdmin = (await addMember(t.http, adminToken, tenant, { role: 'admin' })).token;
    for (const token of [tenantAdmin, editor.token]) {
      const refused = await t.http
        .post('/api/v1/auth/unlock')
        .set(bearer(token))
        .send({ email: victim.email });
      expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 403, code: 'FORBIDDEN' });
    }
    expect((await t.http.post('/api/v1/auth/unlock').send({ email: victim.email })).status).toBe(401);
    expect((await loginAs()).status).toBe(429);

    const unlocked = await t.http
      .post('/api/v1/auth/unlock')
      .set(bearer(adminToken))
      .send({ email: victim.email });
    expect({ status: unlocked.status, body: unlocked.body }).toEqual({
      status: 200,
      body: { was_locked: true },
    });
    expect((await loginAs()).status).toBe(200);
    // An unknown account gets the same kind of answer.
    const unknown = await t.http
      .post('/api/v1/auth/unlock')
      .set(bearer(adminToken))
      .send({ email: 'nobody@example.test' });
    expect({ status: unknown.status, body: unknown.body }).toEqual({
      status: 200,
      body: { was_locked: false },
    });
    const [event] = await t.app
      .get(DataSource)
      .query(
        `SELECT actor_type, details FROM audit_events WHERE action = 'auth.unlock' AND details->>'email' = $1`,
        [victim.email],
      );
    expect(event).toEqual({ actor_type: 'user', details: { email: victim.email, was_locked: true } });
  });

  it('rotates refresh tokens and revokes the family when a rotated one is reused', async () => {
    const first = await t.http
      .post('/api/v1/auth/login')
      .send({ email: editor.email, password: MEMBER_PASSWORD });
    const second = await t.http
      .post('/api/v1/auth/refresh')
      .send({ refresh_token: first.body.refresh_token });
    expect(second.status).toBe(200);
    expect(second.body.refresh_token).not.toBe(first.body.refresh_token);
    expect(decode(second.body.access_token).tenant_id).toBe(tenant.id);

    const replay = await t.http
      .post('/api/v1/auth/refresh')
      .send({ refresh_token: first.body.refresh_token });
    expect(replay.status).toBe(401);
    expect(replay.body.code).toBe('INVALID_REFRESH_TOKEN');
    // The replay revoked the family, so the legitimate newest token is dead too.
    const afterReplay = await t.http
      .post('/api/v1/auth/refresh')
      .send({ refresh_token: second.body.refresh_token });
    expect(afterReplay.status).toBe(401);
  });

  it('logs out by revoking the refresh token', async () => {
    const session = await t.http
      .post('/api/v1/auth/login')
      .send({ email: editor.email, password: MEMBER_PASSWORD });
    await t.http.post('/api/v1/auth/logout').send({ refresh_token: session.body.refresh_token }).expect(204);
    await t.http.post('/api/v1/auth/refresh').send({ refresh_token: session.body.refresh_token }).expect(401);
  });

  it('tells the caller who they are', async () => {
    const res = await t.http.get('/api/v1/auth/me').set(bearer(editor.token));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      user: { id: editor.userId, email: editor.email, platform_admin: false },
      tenant_id: tenant.id,
      memberships: [
        { tenant_id: tenant.id, tenant_slug: tenant.slug, role: 'editor', knowledge_base_ids: null },
      ],
    });
  });

  it('refuses missing, forged, alg-none, expired, never-expiring and malformed tokens with the same 401', async () => {
    const payload = decode(adminToken);
    const header = { alg: 'HS256', typ: 'JWT' };
    const forged = `${b64(header)}.${b64(payload)}.${createHmac('sha256', 'not-the-secret')
      .update(`${b64(header)}.${b64(payload)}`)
      .digest('base64url')}`;
    const algNone = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...payload, exp: payload.exp + 3600 })}.`;
    const expiredPayload = { ...payload, iat: payload.iat - 7200, exp: payload.iat - 3600 };
    const secret = t.config.jwtSecret!;
    const expired = `${b64(header)}.${b64(expiredPayload)}.${createHmac('sha256', secret)
      .update(`${b64(header)}.${b64(expiredPayload)}`)
      .digest('base64url')}`;
    // Signed with the right key, but never expiring: every token the API issues has an exp.
    const { exp: _exp, ...foreverPayload } = payload;
    const forever = `${b64(header)}.${b64(foreverPayload)}.${createHmac('sha256', secret)
      .update(`${b64(header)}.${b64(foreverPayload)}`)
      .digest('base64url')}`;
    const attempts = [
      undefined,
      'Bearer',
      `Bearer ${forged}`,
      `Bearer ${algNone}`,
      `Bearer ${expired}`,
      `Bearer ${forever}`,
      'Bearer a.b.c',
      'Basic Zm9vOmJhcg==',
    ];
    for (const authorization of attempts) {
      const req = t.http.get('/api/v1/auth/me');
      const res = await (authorization ? req.set('Authorization', authorization) : req);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({
        statusCode: 401,
        error: 'Unauthorized',
        message: 'Authentication required',
        code: 'UNAUTHENTICATED',
        requestId: expect.any(String),
      });
    }
  });

  it('binds a platform admin session to a tenant on request', async () => {
    const token = await login(t.http, ADMIN_EMAIL, ADMIN_PASSWORD, tenant.slug);
    expect(decode(token)).toMatchObject({ tenant_id: tenant.id, platform_admin: true, role: null });
  });
});

// Its own app: two apps in one process share passport's strategies, so they run one after the other.
describeE2E('auth: progressive login lock', () => {
  let slow: TestApp;
  beforeAll(async () => {
    slow = await startTestApp({ LOGIN_MAX_FAILURES_PER_ACCOUNT: '5' });
  });
  afterAll(() => slow.close());

  it('makes an account wait, longer after each failure, before it locks it, and records the lock', async () => {
    const platform = await loginAdmin(slow.http);
    const victim = await addMember(slow.http, platform, await createTenant(slow.http, platform), {
      role: 'viewer',
    });
    const attempt = (password: string) =>
      slow.http.post('/api/v1/auth/login').send({ email: victim.email, password });
    for (let i = 0; i < 3; i++) await attempt('wrong').expect(401);
    // The fourth attempt comes too soon, with the right password or not.
    for (const password of ['wrong', MEMBER_PASSWORD]) {
      const early = await attempt(password);
      expect({
        status: early.status,
        code: early.body.code,
        retryAfter: early.headers['retry-after'],
      }).toEqual({
        status: 429,
        code: 'TOO_MANY_LOGIN_ATTEMPTS',
        retryAfter: '1',
      });
      expect(early.body.message).toMatch(/try again in 1 s/);
    }
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await attempt('wrong').expect(401);
    expect(Number((await attempt('wrong')).headers['retry-after'])).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    await attempt('wrong').expect(401);
    const locked = await attempt(MEMBER_PASSWORD);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(800);

    const events = await slow.app
      .get(DataSource)
      .query(
        `SELECT action, details FROM audit_events WHERE details->>'email' = $1 AND action LIKE 'auth.%' ORDER BY seq`,
        [victim.email],
      );
    expect(events.map((e: { action: string }) => e.action)).toEqual([
      ...Array(5).fill('auth.login_failed'),
      'auth.account_locked',
    ]);
    expect(events[3].details).toMatchObject({ failures: 4, wait_seconds: 2 });
    expect(events[5].details).toEqual({ email: victim.email, failures: 5, for_seconds: 900 });
  });
});
