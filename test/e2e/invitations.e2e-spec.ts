import { DataSource } from 'typeorm';
import {
  addMember,
  bearer,
  createTenant,
  login,
  loginAdmin,
  MEMBER_PASSWORD,
  Tenant,
  uniqueSlug,
} from '../factories';
import { describeE2E, startTestApp, TestApp } from '../support/test-app';

describeE2E('invitations', () => {
  let t: TestApp;
  let platform: string;
  let tenant: Tenant;
  let admin: string;
  /** A user of another tenant only. */
  let outsider: { email: string; userId: string; token: string };

  const invitations = (of: Tenant = tenant) => `/api/v1/tenants/${of.id}/invitations`;
  const invite = (email: string, token = admin) =>
    t.http.post(invitations()).set(bearer(token)).send({ email, role: 'viewer' });
  const accept = (token: string, password: string) =>
    t.http.post('/api/v1/invitations/accept').send({ token, password });
  const memberEmails = async () =>
    (await t.http.get(`/api/v1/tenants/${tenant.id}/members`).set(bearer(admin)).expect(200)).body.items.map(
      (m: { email: string }) => m.email,
    );

  beforeAll(async () => {
    t = await startTestApp();
    platform = await loginAdmin(t.http);
    tenant = await createTenant(t.http, platform);
    admin = (await addMember(t.http, platform, tenant, { role: 'admin' })).token;
    outsider = await addMember(t.http, platform, await createTenant(t.http, platform), { role: 'viewer' });
  });
  afterAll(() => t.close());

  it('answers a tenant admin alike whether the email has an account, and adds nobody', async () => {
    const unknown = `${uniqueSlug('nobody')}@example.test`;
    const [known, fresh] = [await invite(outsider.email), await invite(unknown)];
    for (const res of [known, fresh]) {
      expect(res.status).toBe(201);
      expect(Object.keys(res.body).sort()).toEqual(
        [
          'created_at',
          'email',
          'expires_at',
          'id',
          'knowledge_base_ids',
          'permissions',
          'role',
          'status',
          'token',
        ].sort(),
      );
      expect(res.body).toMatchObject({ role: 'viewer', status: 'pending', knowledge_base_ids: null });
      expect(res.body.token).toMatch(/^inv_[A-Za-z0-9_-]{43}$/);
    }
    expect(await memberEmails()).not.toContain(outsider.email);
    const me = await t.http.get('/api/v1/auth/me').set(bearer(outsider.token)).expect(200);
    expect(me.body.memberships.map((m: { tenant_id: string }) => m.tenant_id)).not.toContain(tenant.id);

    // Adding directly is the platform admin's: a tenant admin gets one answer for any email.
    for (const email of [outsider.email, unknown]) {
      const direct = await t.http
        .post(`/api/v1/tenants/${tenant.id}/members`)
        .set(bearer(admin))
        .send({ email, role: 'viewer' });
      expect({ status: direct.status, code: direct.body.code }).toEqual({ status: 403, code: 'FORBIDDEN' });
    }
  });

  it('creates the account of a new email with the password the invitee chooses', async () => {
    const email = `${uniqueSlug('new')}@example.test`;
    const { token } = (await invite(email).expect(201)).body;
    const accepted = await accept(token, 'my-own-long-password').expect(200);
    expect(accepted.body).toMatchObject({ tenant_id: tenant.id, role: 'viewer', new_user: true });
    await login(t.http, email, 'my-own-long-password', tenant.id);
    expect(await memberEmails()).toContain(email);
  });

  it("makes an existing account a member only with that account's own password", async () => {
    const { token } = (await invite(outsider.email).expect(201)).body;
    const wrong = await accept(token, 'not-the-password-at-all');
    expect({ status: wrong.status, code: wrong.body.code }).toEqual({
      status: 401,
      code: 'INVALID_CREDENTIALS',
    });
    expect(await memberEmails()).not.toContain(outsider.email);

    const accepted = await accept(token, MEMBER_PASSWORD).expect(200);
    expect(accepted.body).toEqual({
      tenant_id: tenant.id,
      user_id: outsider.userId,
      role: 'viewer',
      new_user: false,
    });
    await login(t.http, outsider.email, MEMBER_PASSWORD, tenant.id);
    // Now a member: inviting them again says so (the tenant's admins see their members anyway).
    const again = await invite(outsider.email);
    expect({ status: again.status, code: again.body.code }).toEqual({ status: 409, code: 'MEMBER_EXISTS' });
  });

  it('accepts a token once, never after revocation or expiry, and says the same for a made-up one', async () => {
    const invalid = { status: 400, code: 'INVALID_INVITATION' };
    const outcome = async (token: string) => {
      const res = await accept(token, 'a-password-long-enough');
      return { status: res.status, code: res.body.code };
    };
    const used = (await invite(`${uniqueSlug('once')}@example.test`).expect(201)).body;
    await accept(used.token, 'a-password-long-enough').expect(200);
    expect(await outcome(used.token)).toEqual(invalid);

    const revoked = (await invite(`${uniqueSlug('revoked')}@example.test`).expect(201)).body;
    await t.http.delete(`${invitations()}/${revoked.id}`).set(bearer(admin)).expect(204);
    expect(await outcome(revoked.token)).toEqual(invalid);
    const listed = await t.http.get(`${invitations()}/${revoked.id}`).set(bearer(admin)).expect(200);
    expect(listed.body.status).toBe('revoked');
    const twice = await t.http.delete(`${invitations()}/${revoked.id}`).set(bearer(admin));
    expect({ status: twice.status, code: twice.body.code }).toEqual({
      status: 409,
      code: 'INVALID_INVITATION',
    });

    const expired = (await invite(`${uniqueSlug('late')}@example.test`).expect(201)).body;
    await t.app
      .get(DataSource)
      .query(`UPDATE invitations SET expires_at = now() - interval '1 second' WHERE id = $1`, [expired.id]);
    expect(await outcome(expired.token)).toEqual(invalid);
    expect(await outcome(`inv_${'A'.repeat(43)}`)).toEqual(invalid);
    const malformed = await accept('not-a-token', 'a-password-long-enough');
    expect({ status: malformed.status, code: malformed.body.code }).toEqual({
      status: 400,
      code: 'VALIDATION_FAILED',
    });
  });

  it("keeps a tenant's invitations to itself: another tenant's admin gets 404", async () => {
    const mine = (await invite(`${uniqueSlug('mine')}@example.test`).expect(201)).body;
    const other = await createTenant(t.http, platform);
    const otherAdmin = (await addMember(t.http, platform, other, { role: 'admin' })).token;
    for (const res of [
      await t.http.get(`${invitations(other)}/${mine.id}`).set(bearer(otherAdmin)),
      await t.http.delete(`${invitations(other)}/${mine.id}`).set(bearer(otherAdmin)),
    ]) {
      expect({ status: res.status, code: res.body.code }).toEqual({
        status: 404,
        code: 'INVITATION_NOT_FOUND',
      });
    }
    expect((await t.http.get(invitations()).set(bearer(otherAdmin))).status).toBe(404);
    const theirs = await t.http.get(invitations(other)).set(bearer(otherAdmin)).expect(200);
    expect(theirs.body.items.map((i: { id: string }) => i.id)).not.toContain(mine.id);
    // Listing never shows a token.
    const listed = await t.http.get(`${invitations()}?limit=200`).set(bearer(admin)).expect(200);
    expect(JSON.stringify(listed.body)).not.toContain(mine.token);
  });

  it('records invitations and acceptances in the tenant’s audit trail, never a token', async () => {
    const email = `${uniqueSlug('audited')}@example.test`;
    const created = (await invite(email).expect(201)).body;
    const accepted = (await accept(created.token, 'a-password-long-enough').expect(200)).body;
    const events: Array<{ action: string; actor_type: string; actor_id: string; details: object }> =
      await t.app.get(DataSource).query(
        `SELECT action, actor_type, actor_id, details FROM audit_events
          WHERE tenant_id = $1 AND action LIKE 'invitation.%' AND (details->>'email' = $2 OR details->>'invitation_id' = $3)
          ORDER BY seq`,
        [tenant.id, email, created.id],
      );
    expect(events).toEqual([
      {
        action: 'invitation.create',
        actor_type: 'user',
        actor_id: expect.any(String),
        details: { email, role: 'viewer' },
      },
      {
        action: 'invitation.accept',
        actor_type: 'user',
        actor_id: accepted.user_id,
        details: { invitation_id: created.id, role: 'viewer', new_user: true },
      },
    ]);
    expect(JSON.stringify(events)).not.toContain(created.token);
  });
});
