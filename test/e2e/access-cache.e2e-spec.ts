import {
  addMember,
  bearer,
  createKnowledgeBase,
  createTenant,
  loginAdmin,
  MEMBER_PASSWORD,
} from '../factories';
import { until } from '../support/eventually';
import { sample } from '../support/metrics-text';
import { describeE2E, startTestApp, TestApp } from '../support/test-app';

/** Access-cache lookups of one kind and result so far, from /metrics. */
async function lookups(t: TestApp, kind: string, result: string): Promise<number> {
  const text = (await t.http.get('/metrics').expect(200)).text;
  return sample(text, 'strata_access_cache_lookups_total', { kind, result }) ?? 0;
}

/**
 * The replica's access cache on this store: repeated requests are answered from it, and every
 * change to who may do what counts at the next request all the same (on the embedded store the
 * change is heard on the one connection that made it; across replicas see
 * postgres-only/access-across-replicas).
 */
describeE2E('access cache', () => {
  let t: TestApp;
  let platform: string;

  beforeAll(async () => {
    t = await startTestApp();
    platform = await loginAdmin(t.http);
  });
  afterAll(() => t.close());

  async function cachedMember() {
    const tenant = await createTenant(t.http, platform);
    const admin = (await addMember(t.http, platform, tenant, { role: 'admin' })).token;
    const kb = await createKnowledgeBase(t.http, admin, tenant);
    const editor = await addMember(t.http, admin, tenant, { role: 'editor' });
    const kbPath = `/api/v1/tenants/${tenant.id}/knowledge-bases/${kb.id}`;
    const read = async (token = editor.token) => (await t.http.get(kbPath).set(bearer(token))).status;
    const [sessions, resolutions] = [
      await lookups(t, 'session', 'hit'),
      await lookups(t, 'resolution', 'hit'),
    ];
    // The feed starts with the first request that needs it; once live, repeated reads hit.
    await until(
      async () =>
        (await read()) === 200 &&
        (await lookups(t, 'session', 'hit')) > sessions &&
        (await lookups(t, 'resolution', 'hit')) > resolutions,
      10_000,
    );
    return { tenant, kbPath, admin, editor, read };
  }

  it('answers repeated requests from the cache and still ends a logged-out session at once', async () => {
    const { editor, read, tenant } = await cachedMember();
    const session = await t.http
      .post('/api/v1/auth/login')
      .send({ email: editor.email, password: MEMBER_PASSWORD, tenant_id: tenant.id })
      .expect(200);
    expect(await read(session.body.access_token)).toBe(200);
    expect(await read(session.body.access_token)).toBe(200);
    await t.http.post('/api/v1/auth/logout').send({ refresh_token: session.body.refresh_token }).expect(204);
    expect(await read(session.body.access_token)).toBe(401);
    expect(await read()).toBe(200);
  });

  it('honours a removal, a demotion and a suspension at the next request', async () => {
    const removed = await cachedMember();
    await t.http
      .delete(`/api/v1/tenants/${removed.tenant.id}/members/${removed.editor.userId}`)
      .set(bearer(removed.admin))
      .expect(204);
    expect(await removed.read()).toBe(404);

    const demoted = await cachedMember();
    const upload = async () =>
      (
        await t.http
          .post(`${demoted.kbPath}/documents`)
          .set(bearer(demoted.editor.token))
          .send({ text: 'A note.' })
      ).status;
    expect(await upload()).toBe(202);
    await t.http
      .patch(`/api/v1/tenants/${demoted.tenant.id}/members/${demoted.editor.userId}`)
      .set(bearer(demoted.admin))
      .send({ role: 'viewer' })
      .expect(200);
    expect(await upload()).toBe(403);

    const suspended = await cachedMember();
    await t.http
      .patch(`/api/v1/tenants/${suspended.tenant.id}`)
      .set(bearer(platform))
      .send({ status: 'suspended' })
      .expect(200);
    expect(await suspended.read()).toBe(403);
  });
});
