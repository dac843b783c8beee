import { DataSource } from 'typeorm';
import { UsageService } from '@strata/tenants';
import {
  addMember,
  addTextDocument,
  bearer,
  createKnowledgeBase,
  createTenant,
  documentsPath,
  loginAdmin,
  Tenant,
} from '../factories';
import { describeE2E, startTestApp, TestApp } from '../support/test-app';

describeE2E('usage', () => {
  let t: TestApp;
  let platform: string;
  let tenant: Tenant;
  let admin: string;

  beforeAll(async () => {
    t = await startTestApp();
    platform = await loginAdmin(t.http);
    tenant = await createTenant(t.http, platform);
    admin = (await addMember(t.http, platform, tenant, { role: 'admin' })).token;
    await addMember(t.http, admin, tenant, { role: 'viewer' });
    await createKnowledgeBase(t.http, admin, tenant);
    await createKnowledgeBase(t.http, admin, tenant);
    await t.http
      .post(`/api/v1/tenants/${tenant.id}/api-keys`)
      .set(bearer(admin))
      .send({ name: 'k', role: 'viewer' })
      .expect(201);
  });
  afterAll(() => t.close());

  const path = (query = '') => `/api/v1/tenants/${tenant.id}/usage${query}`;

  it('shows current counts against the quotas', async () => {
    await t.http
      .patch(`/api/v1/tenants/${tenant.id}`)
      .set(bearer(platform))
      .send({ quotas: { max_knowledge_bases: 7 } });
    const res = await t.http.get(path()).set(bearer(admin));
    expect(res.status).toBe(200);
    expect(res.body.current).toEqual({
      knowledge_bases: 2,
      documents: 0,
      storage_bytes: 0,
      members: 2,
      api_keys: 1,
    });
    expect(res.body.quotas).toMatchObject({ max_knowledge_bases: 7, requests_per_minute: 6000 });
    expect(res.body.daily).toEqual([]);
  });

  it('adds up daily counters', async () => {
    const usage = t.app.get(UsageService);
    const scope = { tenantId: tenant.id } as never;
    await usage.add(scope, { queries: 1, tokens_in: 120, tokens_out: 30 });
    await usage.add(scope, { queries: 2, tokens_in: 80 });
    const res = await t.http.get(path('?days=7')).set(bearer(admin));
    expect(res.body.daily).toEqual([
      {
        day: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
        queries: 3,
        tokens_in: 200,
        tokens_out: 30,
        embedding_tokens: 0,
        bytes_ingested: 0,
        documents: 0,
        answers_up: 0,
        answers_down: 0,
      },
    ]);
    expect(res.body.feedback).toEqual({ up: 0, down: 0, up_rate: null });
    expect(res.body.tokens).toEqual([]);
    expect(res.body.cost).toEqual({ currency: 'USD', total: 0, unpriced_models: [] });
  });

  it('counts documents, stored bytes and ingested bytes once documents arrive', async () => {
    const tenant2 = await createTenant(t.http, platform);
    const admin2 = (await addMember(t.http, platform, tenant2, { role: 'admin' })).token;
    const kb = await createKnowledgeBase(t.http, admin2, tenant2);
    await addTextDocument(t.http, admin2, tenant2, kb, 'twelve bytes');
    await t.http
      .post(documentsPath(tenant2, kb))
      .set(bearer(admin2))
      .attach('files', Buffer.from('a file of 20 bytes.\n'), 'f.txt')
      .expect(202);
    const res = await t.http.get(`/api/v1/tenants/${tenant2.id}/usage`).set(bearer(admin2)).expect(200);
    expect(res.body.current).toMatchObject({ documents: 2, storage_bytes: 32 });
    expect(res.body.daily[0]).toMatchObject({ documents: 2, bytes_ingested: 32 });
  });

  it('answers tenant and platform admins; 403 for other roles, 404 for other tenants', async () => {
    await t.http.get(path()).set(bearer(platform)).expect(200);
    const viewer = (await addMember(t.http, admin, tenant, { role: 'viewer' })).token;
    expect((await t.http.get(path()).set(bearer(viewer))).status).toBe(403);
    const other = await createTenant(t.http, platform);
    const outsider = (await addMember(t.http, platform, other, { role: 'admin' })).token;
    expect((await t.http.get(path()).set(bearer(outsider))).status).toBe(404);
    expect((await t.http.get(path('?days=0')).set(bearer(admin))).status).toBe(400);
  });

  it('counts only live API keys: a revoked or expired one drops out', async () => {
    const keys = `/api/v1/tenants/${tenant.id}/api-keys`;
    const create = async () =>
      (await t.http.post(keys).set(bearer(admin)).send({ name: 'k', role: 'viewer' }).expect(201)).body.id;
    const [revoked, expired] = [await create(), await create()];
    const live = async () => (await t.http.get(path()).set(bearer(admin)).expect(200)).body.current.api_keys;
    expect(await live()).toBe(3);
    await t.http.delete(`${keys}/${revoked}`).set(bearer(admin)).expect(200);
    await t.app
      .get(DataSource)
      .query(`UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE id = $1`, [expired]);
    expect(await live()).toBe(1);
  });
});
