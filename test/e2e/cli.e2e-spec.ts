import { DataSource } from 'typeorm';
import { bearer, login, uniqueSlug } from '../factories';
import { CliBesideApi } from '../support/cli';
import { describeE2E } from '../support/test-app';

const SECRETS = { JWT_SECRET: 'k'.repeat(40), MASTER_KEY: 'd'.repeat(64) };

/**
 * The operator's CLI on the suite's stores. In the embedded mode the database has one owner, so
 * commands run while the API is stopped and their effects are checked through HTTP after.
 */
describeE2E('operator CLI', () => {
  const stores = new CliBesideApi(SECRETS);
  const cli = (args: string[], stdin?: string) => stores.cli(args, stdin);
  const api = () => stores.api();
  const stopApi = () => stores.stopApi();

  beforeAll(() => stores.open());
  afterAll(() => stores.close());
  beforeEach(stopApi);

  it('explains itself: --help on the program and on every command group', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    for (const command of [
      'admin',
      'tenant',
      'kb',
      'api-key',
      'migrate',
      'audit',
      'storage',
      'backup',
      'restore',
      'import-lightrag',
    ])
      expect(help.out).toContain(command);
    const tenant = await cli(['tenant', '--help']);
    expect(tenant.out).toMatch(/create[\s\S]*list[\s\S]*suspend[\s\S]*resume[\s\S]*delete/);
    expect((await cli(['api-key', 'create', '--help'])).out).toContain('--role <role>');
  });

  it('refuses bad input with exit code 2 and says why', async () => {
    const unknown = await cli(['tenants']);
    expect(unknown).toMatchObject({ code: 2, err: expect.stringContaining("unknown command 'tenants'") });
    const missing = await cli(['kb', 'create', '--name', 'x']);
    expect(missing).toMatchObject({
      code: 2,
      err: expect.stringContaining("required option '--tenant <tenant>'"),
    });
    const badSlug = await cli(['tenant', 'create', '--slug', 'Not A Slug', '--name', 'x']);
    expect(badSlug).toMatchObject({ code: 2, err: expect.stringContaining('error VALIDATION_FAILED: slug') });
    const noTenant = await cli(['kb', 'list', '--tenant', 'no-such-tenant']);
    expect(noTenant).toMatchObject({ code: 2, err: 'error: no tenant no-such-tenant\n' });
    const group = await cli(['tenant']);
    expect(group.code).toBe(2);
    expect(group.err).toContain('Usage: npm run cli -- tenant');
  });

  it('creates platform admins who can log in, and refuses a second one with the same email', async () => {
    const fromStdin = await cli(
      ['admin', 'create', '--email', 'ops@cli.test', '--password-stdin'],
      'ops-password-123\n',
    );
    expect(fromStdin).toMatchObject({
      code: 0,
      out: expect.stringContaining('created platform admin ops@cli.test'),
    });
    const generated = await cli(['admin', 'create', '--email', 'ops2@cli.test']);
    const password = /password: (\S+)/.exec(generated.out)![1];
    expect(await cli(['admin', 'create', '--email', 'OPS@cli.test'], 'another-password-1')).toMatchObject({
      code: 2,
      err: expect.stringContaining('error USER_EXISTS'),
    });
    expect(
      await cli(['admin', 'create', '--email', 'short@cli.test', '--password-stdin'], 'short'),
    ).toMatchObject({
      code: 2,
      err: expect.stringContaining('password must be longer than or equal to 12 characters'),
    });

    // Failed logins are counted in Redis where there is one, else inside the API process.
    expect(await cli(['admin', 'unlock', '--email', 'ops@cli.test'])).toMatchObject(
      stores.env.REDIS_URL
        ? {
            code: 0,
            out: expect.stringContaining('ops@cli.test was not locked; its failed logins are cleared'),
          }
        : { code: 2, err: expect.stringContaining('restarting it clears them') },
    );
    expect(await cli(['admin', 'unlock', '--email', 'not-an-email'])).toMatchObject({ code: 2 });

    const { http } = await api();
    for (const [email, secret] of [
      ['ops@cli.test', 'ops-password-123'],
      ['ops2@cli.test', password],
    ]) {
      const token = await login(http, email, secret);
      const me = await http.get('/api/v1/auth/me').set(bearer(token));
      expect(me.body.user).toMatchObject({ email, platform_admin: true });
    }
  });

  it('resets a password with a one-time token, and disables and enables an account', async () => {
    await cli(['admin', 'create', '--email', 'forgetful@cli.test', '--password-stdin'], 'first-password-1\n');
    const reset = await cli(['admin', 'reset-password', '--email', 'FORGETFUL@cli.test']);
    expect(reset).toMatchObject({
      code: 0,
      out: expect.stringContaining('password reset for forgetful@cli.test'),
    });
    const token = /^(pwr_\S+)$/m.exec(reset.out)![1];
    expect(await cli(['admin', 'reset-password', '--email', 'nobody@cli.test'])).toMatchObject({
      code: 2,
      err: expect.stringContaining('error USER_NOT_FOUND'),
    });
    expect(await cli(['admin', 'disable', '--email', 'forgetful@cli.test'])).toMatchObject({
      code: 0,
      out: 'forgetful@cli.test is disabled\n',
    });

    const { http } = await api();
    await http
      .post('/api/v1/auth/password/reset')
      .send({ token, new_password: 'second-password-2' })
      .expect(204);
    const refused = await http
      .post('/api/v1/auth/login')
      .send({ email: 'forgetful@cli.test', password: 'second-password-2' });
    expect(refused.status).toBe(401); // disabled: the new password waits for the account
    await stopApi();
    expect(await cli(['admin', 'enable', '--email', 'forgetful@cli.test'])).toMatchObject({
      code: 0,
      out: 'forgetful@cli.test is enabled\n',
    });
    const again = await api();
    await login(again.http, 'forgetful@cli.test', 'second-password-2');
    const events = await again.app
      .get(DataSource)
      .query(`SELECT action, actor_type, actor_id FROM audit_events WHERE action LIKE 'user.%' ORDER BY seq`);
    expect(events).toEqual(
      expect.arrayContaining([
        { action: 'user.password_reset_issue', actor_type: 'system', actor_id: 'cli' },
        { action: 'user.disable', actor_type: 'system', actor_id: 'cli' },
        { action: 'user.enable', actor_type: 'system', actor_id: 'cli' },
      ]),
    );
  });

  it('manages tenants, KBs and API keys that the API then serves, each tenant apart', async () => {
    const [a, b] = [uniqueSlug('cli-a'), uniqueSlug('cli-b')];
    expect(await cli(['tenant', 'create', '--slug', a, '--name', 'Tenant A'])).toMatchObject({ code: 0 });
    const created = JSON.parse(
      (await cli(['tenant', 'create', '--slug', b, '--name', 'Tenant B', '--json'])).out,
    );
    expect(created).toMatchObject({ slug: b, status: 'active' });
    expect((await cli(['tenant', 'create', '--slug', a, '--name', 'again'])).err).toContain(
      'TENANT_SLUG_TAKEN',
    );
    const listed = JSON.parse((await cli(['tenant', 'list', '--json'])).out) as Array<{ slug: string }>;
    expect(listed.map((x) => x.slug)).toEqual(expect.arrayContaining([a, b]));

    expect((await cli(['kb', 'create', '--tenant', a, '--name', 'Contracts'])).code).toBe(0);
    expect((await cli(['kb', 'create', '--tenant', a, '--name', 'Other', '--slug', 'other'])).code).toBe(0);
    expect((await cli(['kb', 'create', '--tenant', b, '--name', 'Contracts'])).code).toBe(0);
    const kbsOfA = JSON.parse((await cli(['kb', 'list', '--tenant', a, '--json'])).out) as Array<{
      id: string;
      slug: string;
    }>;
    expect(kbsOfA.map((k) => k.slug).sort()).toEqual(['contracts', 'other']);
    const kbsOfB = JSON.parse((await cli(['kb', 'list', '--tenant', b, '--json'])).out) as Array<{
      id: string;
    }>;
    expect(kbsOfB).toHaveLength(1);
    expect(kbsOfA.map((k) => k.id)).not.toContain(kbsOfB[0].id);

    const issued = await cli([
      'api-key',
      'create',
      '--tenant',
      a,
      '--name',
      'reader',
      '--role',
      'viewer',
      '--kb',
      'contracts',
    ]);
    const key = /key: (sk_\S+)/.exec(issued.out)![1];
    const keyId = /\(([0-9a-f-]{36})\)/.exec(issued.out)![1];
    expect((await cli(['api-key', 'create', '--tenant', a, '--name', 'x', '--role', 'owner'])).err).toContain(
      'error VALIDATION_FAILED: role must be one of the following values',
    );
    expect((await cli(['api-key', 'list', '--tenant', a])).out).toContain(keyId);
    expect((await cli(['api-key', 'list', '--tenant', b])).out).toBe('(none)\n');

    const tenantA = listed.find((x) => x.slug === a) as unknown as { id: string };
    const contracts = kbsOfA.find((k) => k.slug === 'contracts')!;
    const other = kbsOfA.find((k) => k.slug === 'other')!;
    const kbPath = (kbId: string, tenantId = tenantA.id) =>
      `/api/v1/tenants/${tenantId}/knowledge-bases/${kbId}`;
    let { http } = await api();
    expect((await http.get(kbPath(contracts.id)).set('X-API-Key', key)).status).toBe(200);
    expect((await http.get(kbPath(other.id)).set('X-API-Key', key)).status).toBe(404);
    expect((await http.get(kbPath(kbsOfB[0].id, created.id)).set('X-API-Key', key)).status).toBe(404);
    await stopApi();

    // A key is revoked only in its own tenant.
    expect((await cli(['api-key', 'revoke', '--tenant', b, keyId])).err).toContain('error API_KEY_NOT_FOUND');
    expect((await cli(['tenant', 'suspend', a])).out).toBe(`tenant ${a} is suspended\n`);
    ({ http } = await api());
    const suspended = await http.get(kbPath(contracts.id)).set('X-API-Key', key);
    expect(suspended.body.code).toBe('TENANT_SUSPENDED');
    await stopApi();

    expect((await cli(['tenant', 'resume', a])).code).toBe(0);
    expect((await cli(['api-key', 'revoke', '--tenant', a, keyId])).out).toContain('is revoked');
    ({ http } = await api());
    expect((await http.get(kbPath(contracts.id)).set('X-API-Key', key)).status).toBe(401);
  });

  it('deletes a tenant only when told --yes, and records every change as system:cli', async () => {
    const slug = uniqueSlug('cli-gone');
    const { id } = JSON.parse(
      (await cli(['tenant', 'create', '--slug', slug, '--name', 'Gone', '--json'])).out,
    );
    await cli(['kb', 'create', '--tenant', slug, '--name', 'Soon gone']);
    expect(await cli(['tenant', 'delete', slug])).toMatchObject({
      code: 2,
      err: expect.stringContaining('add --yes'),
    });
    expect((await cli(['tenant', 'delete', slug, '--yes'])).code).toBe(0);
    expect((await cli(['kb', 'list', '--tenant', slug])).code).toBe(2);
    expect((await cli(['audit', 'verify', '--tenant', id])).out).toMatch(/3 events, intact/);

    const { app, http } = await api();
    const events: Array<{ action: string; actor_type: string; actor_id: string }> = await app
      .get(DataSource)
      .query('SELECT action, actor_type, actor_id FROM audit_events WHERE chain = $1 ORDER BY seq', [id]);
    expect(events).toEqual(
      ['tenant.create', 'knowledge_base.create', 'tenant.delete'].map((action) => ({
        action,
        actor_type: 'system',
        actor_id: 'cli',
      })),
    );
    // The first test's admin: the API creates ADMIN_EMAIL only when no platform admin exists.
    const platform = await login(http, 'ops@cli.test', 'ops-password-123');
    expect((await http.get(`/api/v1/tenants/${id}`).set(bearer(platform))).status).toBe(404);
  });

  it("verifies a tenant's audit chain named by its slug, and says so when no tenant has it", async () => {
    const slug = uniqueSlug('cli-audit');
    await cli(['tenant', 'create', '--slug', slug, '--name', 'Audited']);
    expect((await cli(['audit', 'verify', '--tenant', slug])).out).toMatch(/1 events?, intact/);
    expect(await cli(['audit', 'verify', '--tenant', uniqueSlug('cli-none')])).toMatchObject({
      code: 2,
      err: expect.stringContaining('no tenant'),
    });
  });
});
