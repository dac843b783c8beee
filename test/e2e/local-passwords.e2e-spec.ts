import { DataSource } from 'typeorm';
import { bearer, createTenant, loginAdmin, MEMBER_PASSWORD, type Tenant, uniqueSlug } from '../factories';
import { startIdentityProvider, type TestIdentityProvider } from '../support/oidc/identity-provider';
import { SSO_PUBLIC_URL, ssoBrowser, ssoCallbackPrefix } from '../support/oidc/sso-sign-in';
import { addIdentityProvider, oidcProviderBody } from '../support/sso-providers';
import { ADMIN_EMAIL, ADMIN_PASSWORD, describeE2E, startTestApp, type TestApp } from '../support/test-app';

/**
 * LOCAL_PASSWORDS=false: people sign in through the identity provider only; platform admins keep
 * their password as the way back in. Every other password sign-in gets one and the same answer.
 */
describeE2E('local passwords turned off', () => {
  let t: TestApp;
  let idp: TestIdentityProvider;
  let adminToken: string;
  let tenant: Tenant;
  let memberEmail: string;

  beforeAll(async () => {
    idp = await startIdentityProvider([ssoCallbackPrefix('corp')]);
    t = await startTestApp({ LOCAL_PASSWORDS: 'false', PUBLIC_URL: SSO_PUBLIC_URL, OIDC_ALLOW_HTTP: 'true' });
    adminToken = await loginAdmin(t.http);
    tenant = await createTenant(t.http, adminToken);
    memberEmail = `${uniqueSlug('member')}@example.test`;
    const added = await t.http
      .post(`/api/v1/tenants/${tenant.id}/members`)
      .set(bearer(adminToken))
      .send({ email: memberEmail, password: MEMBER_PASSWORD, role: 'viewer' });
    expect(added.status).toBe(201);
    await addIdentityProvider(
      t.http,
      adminToken,
      oidcProviderBody(idp, 'corp', [{ claim_value: 'staff', tenant_id: tenant.id, role: 'viewer' }]),
    );
  });
  afterAll(async () => {
    await t?.close();
    await idp?.stop();
  });

  const login = (email: string, password: string) =>
    t.http.post('/api/v1/auth/login').send({ email, password });

  it('refuses every password sign-in but a platform admin’s, with one answer', async () => {
    for (const [email, password] of [
      [memberEmail, MEMBER_PASSWORD],
      [memberEmail, 'not-the-password'],
      ['nobody@example.test', 'whatever-password'],
      [ADMIN_EMAIL, 'not-the-admin-password'],
    ]) {
      const res = await login(email, password);
      expect({ email, status: res.status, code: res.body.code }).toEqual({
        email,
        status: 403,
        code: 'LOCAL_PASSWORDS_DISABLED',
      });
    }
    expect((await login(ADMIN_EMAIL, ADMIN_PASSWORD)).status).toBe(200);
    const [failure] = await t.app
      .get(DataSource)
      .query(
        `SELECT details FROM audit_events WHERE action = 'auth.login_failed' AND details->>'email' = $1`,
        [memberEmail],
      );
    expect(failure).toBeDefined();
  });

  it('refuses accepting an invitation, which would set a password', async () => {
    const invited = await t.http
      .post(`/api/v1/tenants/${tenant.id}/invitations`)
      .set(bearer(adminToken))
      .send({ email: `${uniqueSlug('invitee')}@example.test`, role: 'viewer' });
    expect(invited.status).toBe(201);
    const accepted = await t.http
      .post('/api/v1/invitations/accept')
      .send({ token: invited.body.token, password: MEMBER_PASSWORD });
    expect(accepted.status).toBe(403);
    expect(accepted.body.code).toBe('LOCAL_PASSWORDS_DISABLED');
  });

  it('signs people in through the identity provider as before', async () => {
    await idp.setAccount('ada', { email: 'ada@example.test', groups: ['staff'] });
    const tokens = await ssoBrowser(t.http, idp).tokens('ada');
    expect((await t.http.get(`/api/v1/tenants/${tenant.id}`).set(bearer(tokens.access_token))).status).toBe(
      200,
    );
  });
});
