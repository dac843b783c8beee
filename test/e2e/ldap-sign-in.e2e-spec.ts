import { DataSource } from 'typeorm';
import {
  addMember,
  bearer,
  createKnowledgeBase,
  createTenant,
  type KnowledgeBase,
  loginAdmin,
  type Tenant,
} from '../factories';
import { describeWithDirectory, startDirectory, type TestDirectory } from '../support/ldap/directory-server';
import { addIdentityProvider, ldapProviderBody } from '../support/sso-providers';
import { describeE2E, startTestApp, type TestApp } from '../support/test-app';

/**
 * Sign-in with a directory name and password against a real OpenLDAP server (slapd, one per
 * suite): provider settings, group rules at each sign-in, isolation, throttling, and a directory
 * that cannot be reached.
 */
describeWithDirectory('LDAP sign-in', () => {
  describeE2E('LDAP sign-in', () => {
    let t: TestApp;
    let db: DataSource;
    let directory: TestDirectory;
    let adminToken: string;
    let acme: Tenant;
    let globex: Tenant;
    let acmeKb: KnowledgeBase;
    let globexKb: KnowledgeBase;
    let provider: { id: string };

    beforeAll(async () => {
      directory = await startDirectory();
      t = await startTestApp({ LOGIN_MAX_FAILURES_PER_ACCOUNT: '3' });
      db = t.app.get(DataSource);
      adminToken = await loginAdmin(t.http);
      acme = await createTenant(t.http, adminToken);
      globex = await createTenant(t.http, adminToken);
      const acmeAdmin = await addMember(t.http, adminToken, acme, { role: 'admin' });
      acmeKb = await createKnowledgeBase(t.http, acmeAdmin.token, acme);
      const globexAdmin = await addMember(t.http, adminToken, globex, { role: 'admin' });
      globexKb = await createKnowledgeBase(t.http, globexAdmin.token, globex);
      provider = await addIdentityProvider(
        t.http,
        adminToken,
        ldapProviderBody(directory, 'directory', [
          { claim_value: 'acme-staff', tenant_id: acme.id, role: 'viewer' },
          { claim_value: 'globex-editors', tenant_id: globex.id, role: 'editor' },
        ]),
      );
      for (const [uid, groups] of [
        ['ada', ['acme-staff']],
        ['bob', ['acme-staff', 'globex-editors']],
        ['carl', ['acme-staff']],
      ] as const) {
        await directory.addPerson(uid, { mail: `${uid}@directory.test`, password: `${uid}-password` });
        await directory.setGroups(uid, [...groups]);
      }
    }, 60_000);
    afterAll(async () => {
      await t?.close();
      await directory?.stop();
    });

    const login = (username: string, password: string, tenant?: string) =>
      t.http
        .post('/api/v1/auth/ldap/directory/login')
        .send({ username, password, ...(tenant ? { tenant_id: tenant } : {}) });
    const kbStatus = async (token: string, tenant: Tenant, kb: KnowledgeBase) =>
      (await t.http.get(`/api/v1/tenants/${tenant.id}/knowledge-bases/${kb.id}`).set(bearer(token))).status;

    it('keeps the search password sealed and refuses another kind’s settings', async () => {
      expect(provider).toMatchObject({
        kind: 'ldap',
        issuer: null,
        callback_path: null,
        ldap: {
          url: directory.url,
          bind_dn: directory.adminDn,
          bind_password_set: true,
          user_filter: '(&(objectClass=inetOrgPerson)(uid={username}))',
          subject_attribute: 'entryUUID',
          group_filter: '(&(objectClass=groupOfNames)(member={dn}))',
        },
      });
      expect(JSON.stringify(provider)).not.toContain(directory.adminPassword);
      const [row] = await db.query('SELECT ldap FROM identity_providers WHERE id = $1', [provider.id]);
      expect(JSON.stringify(row.ldap)).not.toContain(directory.adminPassword);
      const mixed = await t.http
        .patch(`/api/v1/identity-providers/${provider.id}`)
        .set(bearer(adminToken))
        .send({ issuer: 'https://idp.example.com' });
      expect(mixed.status).toBe(400);
      const noFilterSlot = await t.http
        .post('/api/v1/identity-providers')
        .set(bearer(adminToken))
        .send({
          slug: 'bad-ldap',
          kind: 'ldap',
          display_name: 'x',
          ldap: { url: directory.url, user_base: 'dc=x', user_filter: '(uid=ada)' },
        });
      expect(noFilterSlot.body.code).toBe('VALIDATION_FAILED');
      const options = await t.http.get('/api/v1/auth/providers');
      expect(options.body.providers).toContainEqual({
        slug: 'directory',
        kind: 'ldap',
        display_name: 'Company directory',
        login_path: '/api/v1/auth/ldap/directory/login',
      });
      // An LDAP provider has no browser sign-in.
      expect((await t.http.get('/api/v1/auth/oidc/directory/login')).status).toBe(404);
    });

    it('signs a person in with their directory password and applies the rules; another tenant is 404', async () => {
      const res = await login('ada', 'ada-password');
      expect(res.status).toBe(200);
      const token = res.body.access_token as string;
      const me = await t.http.get('/api/v1/auth/me').set(bearer(token));
      expect(me.body.user.email).toBe('ada@directory.test');
      expect(me.body.tenant_id).toBe(acme.id);
      expect(me.body.memberships).toEqual([expect.objectContaining({ tenant_id: acme.id, role: 'viewer' })]);
      expect(await kbStatus(token, acme, acmeKb)).toBe(200);
      expect(await kbStatus(token, globex, globexKb)).toBe(404);
      const [event] = await db.query(
        `SELECT details FROM audit_events WHERE action = 'auth.login' AND actor_id = $1`,
        [me.body.user.id],
      );
      expect(event.details).toEqual({ method: 'ldap', provider: 'directory' });
    });

    it('follows the directory’s groups at each sign-in', async () => {
      const first = (await login('bob', 'bob-password', globex.slug)).body.access_token as string;
      expect(await kbStatus(first, globex, globexKb)).toBe(200);
      await directory.setGroups('bob', ['acme-staff']);
      const second = await login('bob', 'bob-password');
      expect(second.status).toBe(200);
      expect(await kbStatus(first, globex, globexKb)).toBe(404);
      expect(await kbStatus(second.body.access_token, acme, acmeKb)).toBe(200);
    });

    it('answers a wrong password and an unknown name alike, and slows guessing down', async () => {
      const wrong = await login('carl', 'not-his-password');
      const unknown = await login('nobody', 'whatever-password');
      for (const res of [wrong, unknown]) {
        expect(res.status).toBe(401);
        expect(res.body.code).toBe('INVALID_CREDENTIALS');
      }
      expect((await login('carl', 'not-his-password')).status).toBe(401);
      expect((await login('carl', 'not-his-password')).status).toBe(401);
      const locked = await login('carl', 'carl-password');
      expect(locked.status).toBe(429);
      expect(locked.body.code).toBe('TOO_MANY_LOGIN_ATTEMPTS');
      const failures = await db.query(
        `SELECT details FROM audit_events WHERE action = 'auth.login_failed' AND details->>'method' = 'ldap'
         AND details->>'username' = 'carl'`,
      );
      expect(failures).toHaveLength(3);
      expect(failures[0].details).toEqual({
        method: 'ldap',
        provider: 'directory',
        username: 'carl',
        code: 'INVALID_CREDENTIALS',
      });
    });

    it('says when the directory cannot be reached, with a 502', async () => {
      const moved = await t.http
        .patch(`/api/v1/identity-providers/${provider.id}`)
        .set(bearer(adminToken))
        .send({
          ldap: {
            url: 'ldap://127.0.0.1:9',
            bind_dn: directory.adminDn,
            user_base: directory.peopleBase,
            group_base: directory.groupsBase,
            timeout_ms: 1_000,
          },
        });
      expect(moved.status).toBe(200);
      expect(moved.body.ldap.bind_password_set).toBe(true);
      const res = await login('ada', 'ada-password');
      expect(res.status).toBe(502);
      expect(res.body.code).toBe('SSO_PROVIDER_UNAVAILABLE');
      const back = await t.http
        .patch(`/api/v1/identity-providers/${provider.id}`)
        .set(bearer(adminToken))
        .send({
          ldap: {
            url: directory.url,
            bind_dn: directory.adminDn,
            user_base: directory.peopleBase,
            group_base: directory.groupsBase,
          },
        });
      expect(back.status).toBe(200);
      // The kept search password still opens: sign-in works again.
      expect((await login('ada', 'ada-password')).status).toBe(200);
    });
  });
});
