import { DataSource } from 'typeorm';
import {
  addMember,
  addTextDocument,
  bearer,
  createKnowledgeBase,
  createTenant,
  KnowledgeBase,
  loginAdmin,
  Tenant,
  waitForDocument,
} from '../factories';
import { OpenAiCompatibleServer } from '../support/openai-compatible-server';
import { describeE2E, startTestApp, TestApp } from '../support/test-app';

/**
 * The default egress policy (PROVIDER_ALLOWED_HOSTS=public): the provider URLs a tenant sets may
 * not reach loopback, link-local or private addresses; the operator's own URLs may.
 */
describeE2E('provider egress policy', () => {
  let t: TestApp;
  let operatorLlm: OpenAiCompatibleServer;
  let tenantProvider: OpenAiCompatibleServer;
  let tenant: Tenant;
  let admin: string;
  let kb: KnowledgeBase;

  const configPath = () => `/api/v1/tenants/${tenant.id}/config`;
  const ask = (body: Record<string, unknown>) =>
    t.http.post(`/api/v1/tenants/${tenant.id}/knowledge-bases/${kb.id}/query`).set(bearer(admin)).send(body);
  /** A config written before the operator narrowed the policy: nothing checked it then. */
  const storeConfigDirectly = (config: Record<string, unknown>) =>
    t.app.get(DataSource).query(`UPDATE tenants SET config = $2 WHERE id = $1`, [tenant.id, config]);

  beforeAll(async () => {
    operatorLlm = await OpenAiCompatibleServer.start();
    tenantProvider = await OpenAiCompatibleServer.start();
    t = await startTestApp({
      PROVIDER_ALLOWED_HOSTS: 'public',
      LLM_BASE_URL: operatorLlm.url,
      LLM_MODEL: 'operator-chat',
    });
    const platform = await loginAdmin(t.http);
    tenant = await createTenant(t.http, platform);
    admin = (await addMember(t.http, platform, tenant, { role: 'admin' })).token;
    kb = await createKnowledgeBase(t.http, admin, tenant);
  });
  afterAll(async () => {
    await t.close();
    await operatorLlm.stop();
    await tenantProvider.stop();
  });
  beforeEach(async () => {
    operatorLlm.reset();
    tenantProvider.reset();
    await storeConfigDirectly({});
  });

  it.each([
    ['the cloud metadata address', 'http://169.254.169.254/latest/meta-data'],
    ['localhost', 'http://localhost:11434/v1'],
    ['a loopback address', 'http://127.0.0.1:8080/v1'],
    ['a private address', 'http://10.0.0.7:8000/v1'],
    ['IPv6 loopback', 'http://[::1]:8000/v1'],
  ])('refuses %s as a base URL with 400 PROVIDER_HOST_NOT_ALLOWED', async (_what, url) => {
    for (const section of ['llm', 'embedding', 'rerank']) {
      const res = await t.http
        .patch(configPath())
        .set(bearer(admin))
        .send({ [section]: { base_url: url, model: 'm' } });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('PROVIDER_HOST_NOT_ALLOWED');
      expect(res.body.message).toMatch(new RegExp(`^${section}\\.base_url .*PROVIDER_ALLOWED_HOSTS`));
    }
    const config = await t.http.get(configPath()).set(bearer(admin)).expect(200);
    expect(config.body.llm.base_url).toBeNull();
  });

  it("accepts a public host name, and the operator's own URL wherever it points", async () => {
    await t.http
      .patch(configPath())
      .set(bearer(admin))
      .send({ rerank: { base_url: 'https://rerank.example.com/v1' } })
      .expect(200);
    await t.http
      .patch(configPath())
      .set(bearer(admin))
      .send({ llm: { base_url: operatorLlm.url, model: 'tenant-chat' } })
      .expect(200);
    const res = await ask({ query: 'hello', mode: 'bypass' }).expect(200);
    expect(res.body.answer_source).toBe('llm');
    expect(operatorLlm.requests.map((r) => r.body.model)).toContain('tenant-chat');
  });

  it('checks at every call, so a URL stored before the policy changed reaches nothing', async () => {
    const operatorCalls = operatorLlm.requests.length;
    await storeConfigDirectly({ llm: { base_url: tenantProvider.url, model: 'tenant-chat' } });
    const res = await ask({ query: 'hello', mode: 'bypass' }).expect(502);
    expect(res.body.code).toBe('PROVIDER_HOST_NOT_ALLOWED');
    expect(res.body.message).toMatch(/language model .*egress policy/);

    await storeConfigDirectly({ embedding: { base_url: tenantProvider.url, model: 'tenant-embed' } });
    const id = await addTextDocument(t.http, admin, tenant, kb, 'Embedded nowhere the policy refuses.');
    const doc = await waitForDocument(t.http, admin, tenant, kb, id);
    expect(doc.status).toBe('failed');
    expect(doc.error).toMatch(/egress policy \(PROVIDER_ALLOWED_HOSTS\)/);
    expect(tenantProvider.requests).toEqual([]);
    expect(operatorLlm.requests).toHaveLength(operatorCalls);
  });
});
