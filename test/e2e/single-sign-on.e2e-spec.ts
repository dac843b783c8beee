import { DataSource } from 'typeorm';
import {
  addMember,
  bearer,
  createKnowledgeBase,
  createTenant,
  type KnowledgeBase,
  loginAdmin,
  MEMBER_PASSWORD,
  type Tenant,
  uniqueSlug,
} from '../factories';
import { startIdentityProvider, type TestIdentityProvider } from '../support/oidc/identity-provider';
import { SSO_PUBLIC_URL, ssoBrowser, ssoCallbackPrefix } from '../support/oidc/sso-sign-in';
import { oidcProviderBody } from '../support/sso-providers';
import { describeE2E, startTestApp, type TestApp } from '../support/test-app';

const PUBLIC_URL = SSO_PUBLIC_URL;
const callbackPrefix = (slug: string) => ssoCallbackPrefix(slug);

/**
 * Single sign-on through a real OpenID Provider (oidc-provider, in a child process), through the
 * API as a browser drives it: the redirect, the provider's sign-in, the callback with the login
 * state cookie, the console's one-time code traded for tokens; the claim-to-membership rules
 * applied at each sign-in, and every way a sign-in must be refused.
 */
describeE2E('single sign-on (OpenID Connect)', () => {
  let t: TestApp;
  let db: DataSource;
  let idp: TestIdentityProvider;
  let adminToken: string;
  let acme: Tenant;
  let globex: Tenant;
  let acmeDocs: KnowledgeBase;
  let acmeLegal: KnowledgeBase;
  let globexKb: KnowledgeBase;
  let provider: { id: string; slug: string };
  let acmeAdminToken: string;

  beforeAll(async () => {
    idp = await startIdentityProvider([callbackPrefix('corp'), callbackPrefix('other')]);
    t = await startTestApp({ PUBLIC_URL, OIDC_ALLOW_HTTP: 'true' });
    db = t.app.get(DataSource);
    adminToken = await loginAdmin(t.http);
    acme = await createTenant(t.http, adminToken);
    globex = await createTenant(t.http, adminToken);
    const acmeAdmin = await addMember(t.http, adminToken, acme, { role: 'admin' });
    acmeAdminToken = acmeAdmin.token;
    acmeDocs = await createKnowledgeBase(t.http, acmeAdmin.token, acme);
    acmeLegal = await createKnowledgeBase(t.http, acmeAdmin.token, acme);
    const globexAdmin = await addMember(t.http, adminToken, globex, { role: 'admin' });
    globexKb = await createKnowledgeBase(t.http, globexAdmin.token, globex);
    const created = await t.http
      .post('/api/v1/identity-providers')
      .set(bearer(adminToken))
      .send(providerBody('corp'));
    expect(created.status).toBe(201);
    provider = created.body;
  });
  afterAll(async () => {
    await t?.close();
    await idp?.stop();
  });
  afterEach(() => idp.tamper(null));

  function providerBody(slug: string, extra: Record<string, unknown> = {}) {
    return oidcProviderBody(
      idp,
      slug,
      [
        {
          claim_value: 'acme-editors',
          tenant_id: acme.slug,
          role: 'editor',
          knowledge_base_ids: [acmeDocs.id],
        },
        { claim_value: 'acme-viewers', tenant_id: acme.id, role: 'viewer' },
        { claim_value: 'globex-viewers', tenant_id: globex.id, role: 'viewer' },
      ],
      extra,
    );
  }

  const browser = () => ssoBrowser(t.http, idp);
  const startSignIn = (sub: string) => browser().start(sub);
  const callback = (url: URL, cookie: string | null) => browser().callback(url, cookie);
  const signIn = (sub: string, slug = 'corp', tenant?: string) => browser().signIn(sub, slug, tenant);
  const signedIn = (sub: string, tenant?: string) => browser().tokens(sub, 'corp', tenant);

  const membershipsOf = async (token: string) =>
    (
      (await t.http.get('/api/v1/auth/me').set(bearer(token))).body.memberships as Array<
        Record<string, unknown>
      >
    )
      .map((m) => ({ tenant: m.tenant_id, role: m.role, kbs: m.knowledge_base_ids }))
      .sort((a, b) => String(a.tenant).localeCompare(String(b.tenant)));
  const kbStatus = async (token: string, tenant: Tenant, kb: KnowledgeBase) =>
    (await t.http.get(`/api/v1/tenants/${tenant.id}/knowledge-bases/${kb.id}`).set(bearer(token))).status;

  it('lets platform admins configure providers, with the secret sealed and never shown', async () => {
    expect(provider).toMatchObject({
      slug: 'corp',
      kind: 'oidc',
      ldap: null,
      issuer: idp.issuer,
      scopes: ['openid', 'email', 'groups'],
      groups_claim: 'groups',
      enabled: true,
      link_verified_email: false,
      callback_path: '/api/v1/auth/oidc/corp/callback',
      mappings: [
        {
          claim_value: 'acme-editors',
          tenant_id: acme.id,
          role: 'editor',
          knowledge_base_ids: [acmeDocs.id],
        },
        { claim_value: 'acme-viewers', tenant_id: acme.id, role: 'viewer', knowledge_base_ids: null },
        { claim_value: 'globex-viewers', tenant_id: globex.id, role: 'viewer', knowledge_base_ids: null },
      ],
    });
    expect(JSON.stringify(provider)).not.toContain(idp.clientSecret);
    const [row] = await db.query('SELECT client_secret_sealed FROM identity_providers WHERE id = $1', [
      provider.id,
    ]);
    expect(row.client_secret_sealed).not.toContain(idp.clientSecret);
    const listed = await t.http.get('/api/v1/identity-providers').set(bearer(adminToken));
    expect(listed.body.items.map((p: { slug: string }) => p.slug)).toContain('corp');
    const [event] = await db.query(
      `SELECT action, details FROM audit_events WHERE resource_id = $1 AND action = 'identity_provider.create'`,
      [provider.id],
    );
    expect(event.details).toEqual({ slug: 'corp', kind: 'oidc' });

    const options = await t.http.get('/api/v1/auth/providers');
    expect(options.status).toBe(200);
    expect(options.body.providers).toContainEqual({
      slug: 'corp',
      kind: 'oidc',
      display_name: 'Corporate SSO',
      login_path: '/api/v1/auth/oidc/corp/login',
    });
  });

  it('refuses provider changes from anyone but a platform admin, and bad rules with a code', async () => {
    const tenantAdmin = await addMember(t.http, adminToken, acme, { role: 'admin' });
    expect((await t.http.get('/api/v1/identity-providers').set(bearer(tenantAdmin.token))).status).toBe(403);
    const byTenantAdmin = await t.http
      .post('/api/v1/identity-providers')
      .set(bearer(tenantAdmin.token))
      .send(providerBody(uniqueSlug('idp')));
    expect(byTenantAdmin.status).toBe(403);
    expect((await t.http.get('/api/v1/identity-providers')).status).toBe(401);

    const post = (body: object) =>
      t.http.post('/api/v1/identity-providers').set(bearer(adminToken)).send(body);
    const unknownTenant = await post(
      providerBody(uniqueSlug('idp'), {
        mappings: [{ claim_value: 'x', tenant_id: 'no-such-tenant', role: 'viewer' }],
      }),
    );
    expect(unknownTenant.status).toBe(400);
    expect(unknownTenant.body.code).toBe('UNKNOWN_TENANT');
    const otherTenantsKb = await post(
      providerBody(uniqueSlug('idp'), {
        mappings: [
          { claim_value: 'x', tenant_id: acme.id, role: 'viewer', knowledge_base_ids: [globexKb.id] },
        ],
      }),
    );
    expect(otherTenantsKb.body.code).toBe('UNKNOWN_KNOWLEDGE_BASE');
    const outsideRole = await post(
      providerBody(uniqueSlug('idp'), {
        mappings: [
          { claim_value: 'x', tenant_id: acme.id, role: 'viewer', permissions: { delete_documents: true } },
        ],
      }),
    );
    expect(outsideRole.body.code).toBe('PERMISSION_OUTSIDE_ROLE');
    expect((await post(providerBody('corp'))).body.code).toBe('IDENTITY_PROVIDER_SLUG_TAKEN');
    const badIssuer = await post(providerBody(uniqueSlug('idp'), { issuer: 'ftp://example.com' }));
    expect(badIssuer.body.code).toBe('VALIDATION_FAILED');
    const missing = await t.http.get(`/api/v1/identity-providers/${acme.id}`).set(bearer(adminToken));
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('IDENTITY_PROVIDER_NOT_FOUND');
    expect((await t.http.get('/api/v1/identity-providers/not-a-uuid').set(bearer(adminToken))).status).toBe(
      400,
    );
  });

  it('signs a new person in, makes their account and applies the rules; another tenant is 404', async () => {
    await idp.setAccount('ada', { email: 'Ada@Example.test', groups: ['acme-editors', 'unmapped'] });
    const tokens = await signedIn('ada');
    expect(await membershipsOf(tokens.access_token)).toEqual([
      { tenant: acme.id, role: 'editor', kbs: [acmeDocs.id] },
    ]);
    expect(await kbStatus(tokens.access_token, acme, acmeDocs)).toBe(200);
    expect(await kbStatus(tokens.access_token, acme, acmeLegal)).toBe(404);
    expect(await kbStatus(tokens.access_token, globex, globexKb)).toBe(404);
    // The refresh token works like a password session's.
    const refreshed = await t.http.post('/api/v1/auth/refresh').send({ refresh_token: tokens.refresh_token });
    expect(refreshed.status).toBe(200);

    const me = await t.http.get('/api/v1/auth/me').set(bearer(tokens.access_token));
    expect(me.body.user.email).toBe('ada@example.test');
    const actions = await db.query(
      `SELECT action, tenant_id, details FROM audit_events WHERE resource_id = $1 ORDER BY seq`,
      [me.body.user.id],
    );
    expect(actions).toEqual(
      expect.arrayContaining([
        { action: 'user.sso_create', tenant_id: null, details: { provider: 'corp', subject: 'ada' } },
        {
          action: 'member.sso_grant',
          tenant_id: acme.id,
          details: { provider: 'corp', role: 'editor' },
        },
        { action: 'auth.login', tenant_id: acme.id, details: { method: 'oidc', provider: 'corp' } },
      ]),
    );
    // No password was made: a password sign-in of the account fails.
    const password = await t.http
      .post('/api/v1/auth/login')
      .send({ email: 'ada@example.test', password: '' });
    expect(password.status).not.toBe(200);
  });

  it('follows the groups at each sign-in: a changed group changes the role, a removed one the membership', async () => {
    await idp.setAccount('grace', {
      email: 'grace@example.test',
      groups: ['acme-editors', 'globex-viewers'],
    });
    const first = await signedIn('grace');
    expect(await membershipsOf(first.access_token)).toEqual(
      [
        { tenant: acme.id, role: 'editor', kbs: [acmeDocs.id] },
        { tenant: globex.id, role: 'viewer', kbs: null },
      ].sort((a, b) => a.tenant.localeCompare(b.tenant)),
    );

    await idp.setAccount('grace', { email: 'grace@example.test', groups: ['acme-viewers'] });
    const second = await signedIn('grace');
    expect(await membershipsOf(second.access_token)).toEqual([
      { tenant: acme.id, role: 'viewer', kbs: null },
    ]);
    // The earlier session's token too: the membership it named is gone.
    expect(await kbStatus(first.access_token, globex, globexKb)).toBe(404);
    expect(await kbStatus(first.access_token, acme, acmeLegal)).toBe(200);

    await idp.setAccount('grace', { email: 'grace@example.test', groups: [] });
    const third = await signedIn('grace');
    expect(await membershipsOf(third.access_token)).toEqual([]);
    expect(await kbStatus(second.access_token, acme, acmeDocs)).toBe(404);
    const removed = await db.query(
      `SELECT tenant_id, details FROM audit_events WHERE action = 'member.sso_remove' AND details->>'provider' = 'corp'
       AND actor_id = 'sso:corp' ORDER BY seq`,
    );
    expect(removed).toEqual(
      expect.arrayContaining([
        { tenant_id: globex.id, details: { provider: 'corp', role: 'viewer' } },
        { tenant_id: acme.id, details: { provider: 'corp', role: 'viewer' } },
      ]),
    );
  });

  it('leaves memberships granted in Strata alone, whatever the groups say', async () => {
    await idp.setAccount('linus', { email: 'linus@example.test', groups: ['acme-viewers'] });
    const first = await signedIn('linus');
    const added = await t.http
      .post(`/api/v1/tenants/${globex.id}/members`)
      .set(bearer(adminToken))
      .send({ email: 'linus@example.test', role: 'editor' });
    expect(added.status).toBe(201);
    await idp.setAccount('linus', { email: 'linus@example.test', groups: ['globex-viewers'] });
    const second = await signedIn('linus');
    expect(await membershipsOf(second.access_token)).toEqual([
      { tenant: globex.id, role: 'editor', kbs: null },
    ]);
    expect(await kbStatus(first.access_token, acme, acmeDocs)).toBe(404);
  });

  it('puts people in the groups the rules name while their claims hold, and leaves admins’ groups alone', async () => {
    const groups = `/api/v1/tenants/${acme.id}/groups`;
    const group = async (name: string) =>
      (await t.http.post(groups).set(bearer(acmeAdminToken)).send({ name }).expect(201)).body.id as string;
    const hr = await group(uniqueSlug('hr'));
    const payroll = await group(uniqueSlug('payroll'));
    const globexGroup = (
      await t.http
        .post(`/api/v1/tenants/${globex.id}/groups`)
        .set(bearer(await addMember(t.http, adminToken, globex, { role: 'admin' }).then((m) => m.token)))
        .send({ name: 'Elsewhere' })
        .expect(201)
    ).body.id;
    const withRule = (rule: Record<string, unknown>) => ({
      mappings: [...providerBody('corp').mappings, rule],
    });
    const wrongTenant = await t.http
      .patch(`/api/v1/identity-providers/${provider.id}`)
      .set(bearer(adminToken))
      .send(
        withRule({ claim_value: 'acme-hr', tenant_id: acme.id, role: 'viewer', group_ids: [globexGroup] }),
      );
    expect(wrongTenant.status).toBe(400);
    expect(wrongTenant.body.code).toBe('UNKNOWN_GROUP');
    const ruled = await t.http
      .patch(`/api/v1/identity-providers/${provider.id}`)
      .set(bearer(adminToken))
      .send(withRule({ claim_value: 'acme-hr', tenant_id: acme.slug, role: 'viewer', group_ids: [hr] }))
      .expect(200);
    expect(ruled.body.mappings.at(-1)).toMatchObject({ tenant_id: acme.id, group_ids: [hr] });

    const salaries = await t.http
      .post(`/api/v1/tenants/${acme.id}/knowledge-bases/${acmeDocs.id}/documents`)
      .set(bearer(acmeAdminToken))
      .send({ title: 'Salary bands', text: 'Band 7 starts at 82,000.', access: { group_ids: [hr] } })
      .expect(202);
    const salaryPath = `/api/v1/tenants/${acme.id}/knowledge-bases/${acmeDocs.id}/documents/${salaries.body.documents[0].id}`;
    const membersOf = async (groupId: string) =>
      (
        await t.http.get(`${groups}/${groupId}/members`).set(bearer(acmeAdminToken)).expect(200)
      ).body.items.map((m: { id: string }) => m.id);

    await idp.setAccount('hana', { email: 'hana@example.test', groups: ['acme-hr'] });
    const first = await signedIn('hana');
    const hana = (await t.http.get('/api/v1/auth/me').set(bearer(first.access_token))).body.user.id as string;
    expect(await membersOf(hr)).toEqual([hana]);
    expect((await t.http.get(salaryPath).set(bearer(first.access_token))).status).toBe(200);
    await t.http.put(`${groups}/${payroll}/users/${hana}`).set(bearer(acmeAdminToken)).expect(204);

    // Out of the claim: out of the group at the next sign-in (the earlier token too, at once);
    // the group an admin put her in stays, as does her membership under another rule.
    await idp.setAccount('hana', { email: 'hana@example.test', groups: ['acme-viewers'] });
    const second = await signedIn('hana');
    expect(await membersOf(hr)).toEqual([]);
    expect(await membersOf(payroll)).toEqual([hana]);
    expect((await t.http.get(salaryPath).set(bearer(second.access_token))).status).toBe(404);
    expect((await t.http.get(salaryPath).set(bearer(first.access_token))).status).toBe(404);
    const events = await db.query(
      `SELECT action, resource_id FROM audit_events WHERE actor_id = 'sso:corp' AND resource_type = 'group'
       AND details->>'member_id' = $1 ORDER BY seq`,
      [hana],
    );
    expect(events).toEqual([
      { action: 'group.member_add', resource_id: hr },
      { action: 'group.member_remove', resource_id: hr },
    ]);
  });

  it('binds the session to the tenant asked for, and refuses one the person is not in', async () => {
    await idp.setAccount('mary', { email: 'mary@example.test', groups: ['acme-viewers', 'globex-viewers'] });
    const unbound = await signedIn('mary');
    expect((await t.http.get('/api/v1/auth/me').set(bearer(unbound.access_token))).body.tenant_id).toBeNull();
    const bound = await signedIn('mary', globex.slug);
    expect((await t.http.get('/api/v1/auth/me').set(bearer(bound.access_token))).body.tenant_id).toBe(
      globex.id,
    );
    const other = await createTenant(t.http, adminToken);
    expect((await signIn('mary', 'corp', other.slug)).get('sso_error')).toBe('SSO_REJECTED');
  });

  it('refuses a callback without the login state of the browser that started it (login CSRF)', async () => {
    await idp.setAccount('eve', { email: 'eve@example.test', groups: ['acme-viewers'] });
    const { authorizationUrl } = await startSignIn('eve');
    const back = await idp.signIn(authorizationUrl, callbackPrefix('corp'));
    expect((await callback(back, null)).get('sso_error')).toBe('SSO_REJECTED');
    // Another sign-in's state does not fit either.
    const other = await startSignIn('eve');
    expect((await callback(back, other.cookie)).get('sso_error')).toBe('SSO_REJECTED');
    const [failure] = await db.query(
      `SELECT details FROM audit_events WHERE action = 'auth.login_failed' AND details->>'method' = 'oidc' ORDER BY seq DESC LIMIT 1`,
    );
    expect(failure.details).toMatchObject({ provider: 'corp', code: 'SSO_REJECTED' });
  });

  it.each([
    ['audience', 'issued to another client'],
    ['expired', 'that has expired'],
    ['signature', 'signed with a key the provider does not publish'],
    ['nonce', 'answering another nonce'],
  ] as const)('refuses an ID token (%s) %s', async (mode, _what) => {
    await idp.setAccount('mallory', { email: 'mallory@example.test', groups: ['acme-viewers'] });
    const { authorizationUrl, cookie } = await startSignIn('mallory');
    const back = await idp.signIn(authorizationUrl, callbackPrefix('corp'));
    await idp.tamper(mode);
    expect((await callback(back, cookie)).get('sso_error')).toBe('SSO_REJECTED');
  });

  it('redeems a sign-in code once only', async () => {
    await idp.setAccount('oscar', { email: 'oscar@example.test', groups: ['acme-viewers'] });
    const code = (await signIn('oscar')).get('sso');
    const first = await t.http.post('/api/v1/auth/oidc/exchange').send({ code });
    expect(first.status).toBe(200);
    const again = await t.http.post('/api/v1/auth/oidc/exchange').send({ code });
    expect(again.status).toBe(401);
    expect(again.body.code).toBe('INVALID_SSO_HANDOFF');
    const made_up = await t.http.post('/api/v1/auth/oidc/exchange').send({ code: 'sso_nothing' });
    expect(made_up.body.code).toBe('INVALID_SSO_HANDOFF');
    expect((await t.http.post('/api/v1/auth/oidc/exchange').send({})).body.code).toBe('VALIDATION_FAILED');
  });

  it('does not take over an existing account unless the provider may link verified emails', async () => {
    const local = await addMember(t.http, adminToken, globex, { role: 'viewer' });
    await idp.setAccount('local-twin', { email: local.email, groups: ['acme-viewers'] });
    expect((await signIn('local-twin')).get('sso_error')).toBe('SSO_ACCOUNT_CONFLICT');

    const linking = await t.http
      .post('/api/v1/identity-providers')
      .set(bearer(adminToken))
      .send(providerBody('other', { link_verified_email: true }));
    expect(linking.status).toBe(201);
    await idp.setAccount('local-twin', { email: local.email, email_verified: false, groups: [] });
    expect((await signIn('local-twin', 'other')).get('sso_error')).toBe('SSO_ACCOUNT_CONFLICT');
    await idp.setAccount('local-twin', {
      email: local.email,
      email_verified: true,
      groups: ['acme-viewers'],
    });
    const fragment = await signIn('local-twin', 'other');
    const tokens = (await t.http.post('/api/v1/auth/oidc/exchange').send({ code: fragment.get('sso') })).body;
    const me = await t.http.get('/api/v1/auth/me').set(bearer(tokens.access_token));
    expect(me.body.user.id).toBe(local.userId);
    expect(me.body.memberships.map((m: { tenant_id: string }) => m.tenant_id).sort()).toEqual(
      [acme.id, globex.id].sort(),
    );
    // The password still works: linking added a way in, it took none away.
    const password = await t.http
      .post('/api/v1/auth/login')
      .send({ email: local.email, password: MEMBER_PASSWORD });
    expect(password.status).toBe(200);

    // Removing the provider removes what its rules granted, not the account or its own memberships.
    const removed = await t.http
      .delete(`/api/v1/identity-providers/${linking.body.id}`)
      .set(bearer(adminToken));
    expect(removed.status).toBe(204);
    expect(await kbStatus(tokens.access_token, acme, acmeDocs)).toBe(404);
    expect(await kbStatus(tokens.access_token, globex, globexKb)).toBe(200);
    expect((await t.http.get('/api/v1/auth/oidc/other/login')).status).toBe(404);
  });

  it('refuses a disabled account, and a disabled provider', async () => {
    await idp.setAccount('ivan', { email: 'ivan@example.test', groups: ['acme-viewers'] });
    await signedIn('ivan');
    const [{ id }] = await db.query(`SELECT id FROM users WHERE email = 'ivan@example.test'`);
    expect((await t.http.post(`/api/v1/users/${id}/disable`).set(bearer(adminToken))).status).toBe(200);
    expect((await signIn('ivan')).get('sso_error')).toBe('ACCOUNT_DISABLED');

    const off = await t.http
      .patch(`/api/v1/identity-providers/${provider.id}`)
      .set(bearer(adminToken))
      .send({ enabled: false });
    expect(off.status).toBe(200);
    const refused = await t.http.get('/api/v1/auth/oidc/corp/login');
    expect(refused.status).toBe(404);
    expect(refused.body.code).toBe('IDENTITY_PROVIDER_NOT_FOUND');
    const options = await t.http.get('/api/v1/auth/providers');
    expect(options.body.providers.map((p: { slug: string }) => p.slug)).not.toContain('corp');
    await t.http
      .patch(`/api/v1/identity-providers/${provider.id}`)
      .set(bearer(adminToken))
      .send({ enabled: true });
  });

  it('keeps password sessions out of a tenant that requires single sign-on, at once', async () => {
    const tenant = await createTenant(t.http, adminToken);
    const local = await addMember(t.http, adminToken, tenant, { role: 'admin' });
    const key = await t.http
      .post(`/api/v1/tenants/${tenant.id}/api-keys`)
      .set(bearer(local.token))
      .send({ name: 'ci', role: 'viewer' });
    expect(key.status).toBe(201);
    const rules = await t.http
      .patch(`/api/v1/identity-providers/${provider.id}`)
      .set(bearer(adminToken))
      .send({
        mappings: [
          ...providerBody('corp').mappings,
          { claim_value: 'sso-only', tenant_id: tenant.id, role: 'viewer' },
        ],
      });
    expect(rules.status).toBe(200);
    await idp.setAccount('sofia', { email: 'sofia@example.test', groups: ['sso-only'] });
    const sso = await signedIn('sofia');
    const read = async (token: string) =>
      (await t.http.get(`/api/v1/tenants/${tenant.id}`).set(bearer(token))).body.code ?? 'ok';
    expect(await read(local.token)).toBe('ok');

    const byTenantAdmin = await t.http
      .patch(`/api/v1/tenants/${tenant.id}`)
      .set(bearer(local.token))
      .send({ sso_required: true });
    expect(byTenantAdmin.status).toBe(403);
    const required = await t.http
      .patch(`/api/v1/tenants/${tenant.id}`)
      .set(bearer(adminToken))
      .send({ sso_required: true });
    expect(required.status).toBe(200);
    expect(required.body.sso_required).toBe(true);
    // The password session already open is refused on its next request; the others go on.
    expect(await read(local.token)).toBe('SSO_REQUIRED');
    expect(await read(sso.access_token)).toBe('ok');
    expect(await read(adminToken)).toBe('ok');
    const byKey = await t.http
      .get(`/api/v1/tenants/${tenant.id}/knowledge-bases`)
      .set('X-API-Key', key.body.key);
    expect(byKey.status).toBe(200);

    await t.http.patch(`/api/v1/tenants/${tenant.id}`).set(bearer(adminToken)).send({ sso_required: false });
    expect(await read(local.token)).toBe('ok');
  });
});
