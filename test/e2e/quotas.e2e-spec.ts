import { DataSource } from 'typeorm';
import { addMember, bearer, createKnowledgeBase, createTenant, loginAdmin, Tenant } from '../factories';
import { describeE2E, startTestApp, TestApp } from '../support/test-app';

describeE2E('quotas and rate limits', () => {
  let t: TestApp;
  let platform: string;

  beforeAll(async () => {
    t = await startTestApp();
    platform = await loginAdmin(t.http);
  });
  afterAll(() => t.close());

  async function tenantWith(quotas: Record<string, number>): Promise<{ tenant: Tenant; admin: string }> {
    const tenant = await createTenant(t.http, platform);
    const admin = (await addMember(t.http, platform, tenant, { role: 'admin' })).token;
    await t.http.patch(`/api/v1/tenants/${tenant.id}`).set(bearer(platform)).send({ quotas }).expect(200);
    return { tenant, admin };
  }

  it('answers requests over requests_per_minute with 429 and Retry-After, for that tenant only', async () => {
    const { tenant, admin } = await tenantWith({ requests_per_minute: 3 });
    const { tenant: calm, admin: calmAdmin } = await tenantWith({ requests_per_minute: 3 });
    const path = `/api/v1/tenants/${tenant.id}/knowledge-bases`;
    for (let i = 0; i < 3; i++) await t.http.get(path).set(bearer(admin)).expect(200);
    const over = await t.http.get(path).set(bearer(admin));
    expect(over.status).toBe(429);
    expect(over.body.code).toBe('QUOTA_REQUESTS_PER_MINUTE_EXCEEDED');
    const retryAfter = Number(over.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // A refused write changes nothing.
    const refused = await t.http.post(path).set(bearer(admin)).send({ name: 'Too many' });
    expect(refused.status).toBe(429);
    const [{ count }] = await t.app
      .get(DataSource)
      .query('SELECT count(*)::int AS count FROM knowledge_bases WHERE tenant_id = $1', [tenant.id]);
    expect(count).toBe(0);
    await t.http.get(`/api/v1/tenants/${calm.id}/knowledge-bases`).set(bearer(calmAdmin)).expect(200);
  });

  it('answers requests over max_concurrent_requests with 429', async () => {
    const { tenant, admin } = await tenantWith({ max_concurrent_requests: 0 });
    const res = await t.http.get(`/api/v1/tenants/${tenant.id}`).set(bearer(admin));
    expect(res.status).toBe(429);
    expect(res.body.code).toBe('QUOTA_CONCURRENT_REQUESTS_EXCEEDED');
    expect(res.headers['retry-after']).toBe('1');
  });

  it('releases concurrency slots when requests finish', async () => {
    const { tenant, admin } = await tenantWith({ max_concurrent_requests: 1 });
    for (let i = 0; i < 5; i++)
      await t.http.get(`/api/v1/tenants/${tenant.id}`).set(bearer(admin)).expect(200);
  });

  it('refuses a KB over max_knowledge_bases with 403 and creates nothing', async () => {
    const { tenant, admin } = await tenantWith({ max_knowledge_bases: 1 });
    await createKnowledgeBase(t.http, admin, tenant);
    const res = await t.http
      .post(`/api/v1/tenants/${tenant.id}/knowledge-bases`)
      .set(bearer(admin))
      .send({ name: 'One too many' });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('QUOTA_KNOWLEDGE_BASES_EXCEEDED');
    const list = await t.http.get(`/api/v1/tenants/${tenant.id}/knowledge-bases`).set(bearer(admin));
    expect(list.body.items).toHaveLength(1);
  });
});
