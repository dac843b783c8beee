import { DataSource } from 'typeorm';
import { TenantConfigService } from '@strata/tenants';
import { addMember, bearer, createTenant, loginAdmin, Tenant } from '../factories';
import { OpenAiCompatibleServer } from '../support/openai-compatible-server';
import { describeE2E, startTestApp, TestApp } from '../support/test-app';

const PROVIDER_KEY = 'sk-provider-SECRET-4242';

describeE2E('tenant config', () => {
  let t: TestApp;
  let tenant: Tenant;
  let admin: string;
  let editor: string;
  let outsider: string;

  beforeAll(async () => {
    t = await startTestApp();
    const platform = await loginAdmin(t.http);
    tenant = await createTenant(t.http, platform);
    admin = (await addMember(t.http, platform, tenant, { role: 'admin' })).token;
    editor = (await addMember(t.http, admin, tenant, { role: 'editor' })).token;
    const other = await createTenant(t.http, platform);
    outsider = (await addMember(t.http, platform, other, { role: 'admin' })).token;
  });
  afterAll(() => t.close());

  const path = () => `/api/v1/tenants/${tenant.id}/config`;

  it('stores provider settings and answers secrets only as "***"', async () => {
    const res = await t.http
      .patch(path())
      .set(bearer(admin))
      .send({
        llm: { base_url: 'http://llm.internal:8000/v1', model: 'qwen2.5', api_key: PROVIDER_KEY },
        privacy: { store_query_text: true },
      });
    expect(res.status).toBe(200);
    expect(res.body.llm).toEqual({
      base_url: 'http://llm.internal:8000/v1',
      model: 'qwen2.5',
      api_key: '***',
      api_key_set: true,
      timeout_ms: null,
      dimension: null,
    });
    expect(res.body.embedding.api_key_set).toBe(false);
    expect(res.body.privacy).toEqual({ store_query_text: true });
    const read = await t.http.get(path()).set(bearer(admin));
    expect(JSON.stringify(read.body)).not.toContain(PROVIDER_KEY);
    expect(read.body.llm.api_key).toBe('***');
  });

  it('keeps the secret unreadable in the database and in the audit trail', async () => {
    const db = t.app.get(DataSource);
    const [row] = await db.query('SELECT config::text AS config FROM tenants WHERE id = $1', [tenant.id]);
    expect(row.config).not.toContain(PROVIDER_KEY);
    expect(row.config).toMatch(/"api_key": "v1:/);
    const events = await db.query(
      `SELECT details::text AS details FROM audit_events WHERE action = 'tenant_config.update'`,
    );
    expect(events.length).toBeGreaterThan(0);
    for (const e of events) expect(e.details).not.toContain(PROVIDER_KEY);
    const dump = await db.query('SELECT string_agg(t::text, chr(10)) AS dump FROM tenants t');
    expect(dump[0].dump).not.toContain(PROVIDER_KEY);
    // Only the service, with the master key, opens it.
    const settings = (
      await t.app.get(TenantConfigService).settings({ tenantId: tenant.id } as never)
    ).provider('llm');
    expect(settings.api_key).toBe(PROVIDER_KEY);
  });

  it('keeps fields not named in a patch, and clears fields set to null', async () => {
    await t.http
      .patch(path())
      .set(bearer(admin))
      .send({ llm: { model: 'llama3' } })
      .expect(200);
    let res = await t.http.get(path()).set(bearer(admin));
    expect(res.body.llm).toMatchObject({
      model: 'llama3',
      api_key_set: true,
      base_url: 'http://llm.internal:8000/v1',
    });
    res = await t.http
      .patch(path())
      .set(bearer(admin))
      .send({ llm: { api_key: null } });
    expect(res.body.llm).toMatchObject({ api_key: null, api_key_set: false, model: 'llama3' });
  });

  it('puts a whole section back to its defaults with null, naming a cleared key in the audit trail', async () => {
    await t.http
      .patch(path())
      .set(bearer(admin))
      .send({
        rerank: { base_url: 'http://rerank.internal:8000/v1', model: 'bge-reranker', api_key: PROVIDER_KEY },
        privacy: { store_query_text: true },
        on_provider_failure: { rerank: 'skip' },
      })
      .expect(200);
    const res = await t.http
      .patch(path())
      .set(bearer(admin))
      .send({ rerank: null, privacy: null, on_provider_failure: null });
    expect(res.status).toBe(200);
    expect(res.body.rerank).toEqual({
      base_url: null,
      model: null,
      api_key: null,
      api_key_set: false,
      timeout_ms: null,
      dimension: null,
    });
    expect(res.body.privacy).toEqual({ store_query_text: false });
    expect(res.body.on_provider_failure).toEqual({ llm: 'error', rerank: 'error', embedding: 'error' });
    // The other sections stay as they were.
    expect(res.body.llm.model).toBe('llama3');
    const [event] = await t.app
      .get(DataSource)
      .query(
        `SELECT details FROM audit_events WHERE action = 'tenant_config.update' AND tenant_id = $1 ORDER BY seq DESC LIMIT 1`,
        [tenant.id],
      );
    expect(event.details).toEqual({
      sections: ['rerank', 'privacy', 'on_provider_failure'],
      secrets: ['rerank.api_key cleared'],
    });
  });

  it.each([
    ['a typographic ellipsis', 'sk-abc…'],
    ['a space', 'sk-abc def'],
    ['a line break', 'sk-abc\n'],
  ])('refuses a provider key with %s, which no HTTP header can carry', async (_what, key) => {
    const res = await t.http
      .patch(path())
      .set(bearer(admin))
      .send({ embedding: { api_key: key } });
    expect({ status: res.status, code: res.body.code }).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    expect(res.body.message).toContain('api_key must be printable ASCII');
  });

  it('holds what queries do when a provider fails, error by default, one provider at a time', async () => {
    expect((await t.http.get(path()).set(bearer(admin))).body.on_provider_failure).toEqual({
      llm: 'error',
      rerank: 'error',
      embedding: 'error',
    });
    await t.http
      .patch(path())
      .set(bearer(admin))
      .send({ on_provider_failure: { llm: 'extractive' } })
      .expect(200);
    const res = await t.http
      .patch(path())
      .set(bearer(admin))
      .send({ on_provider_failure: { rerank: 'skip' } })
      .expect(200);
    expect(res.body.on_provider_failure).toEqual({ llm: 'extractive', rerank: 'skip', embedding: 'error' });
  });

  it('is for tenant admins only: 403 in the tenant, 404 outside it; bad values are 400', async () => {
    expect((await t.http.get(path()).set(bearer(editor))).status).toBe(403);
    expect(
      (
        await t.http
          .patch(path())
          .set(bearer(editor))
          .send({ llm: { model: 'x' } })
      ).status,
    ).toBe(403);
    expect((await t.http.get(path()).set(bearer(outsider))).status).toBe(404);
    for (const body of [
      { llm: { base_url: 'ftp://x' } },
      { llm: { timeout_ms: -1 } },
      { vectors: {} },
      { llm: { secret: 'x' } },
      { on_provider_failure: { llm: 'skip' } },
      { on_provider_failure: { embedding: 'extractive' } },
    ]) {
      const res = await t.http.patch(path()).set(bearer(admin)).send(body);
      expect({ status: res.status, code: res.body.code }).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    }
  });

  describe('POST …/config/test: one real call with the saved settings', () => {
    let provider: OpenAiCompatibleServer;
    const test = (body: object, token = admin) => t.http.post(`${path()}/test`).set(bearer(token)).send(body);

    beforeAll(async () => {
      provider = await OpenAiCompatibleServer.start({ dimension: 12 });
    });
    afterAll(() => provider.stop());

    it('says nothing is configured while the embedded defaults are in use', async () => {
      await t.http
        .patch(path())
        .set(bearer(admin))
        .send({ llm: null, embedding: null, rerank: null })
        .expect(200);
      for (const name of ['llm', 'embedding', 'rerank']) {
        const res = await test({ provider: name }).expect(200);
        expect(res.body).toMatchObject({ provider: name, configured: false, ok: true, failure: null });
      }
      expect(provider.requests).toEqual([]);
    });

    it('calls each provider once with the tenant key and reports what came back', async () => {
      await t.http
        .patch(path())
        .set(bearer(admin))
        .send({
          llm: { base_url: provider.url, model: 'test-chat', api_key: PROVIDER_KEY },
          embedding: { base_url: provider.url, model: 'test-embed', api_key: PROVIDER_KEY },
          rerank: { base_url: provider.url, model: 'test-rerank', api_key: PROVIDER_KEY },
        })
        .expect(200);
      const llm = await test({ provider: 'llm' }).expect(200);
      expect(llm.body).toMatchObject({ configured: true, ok: true, model: 'test-chat', failure: null });
      expect(llm.body.detail).toContain('I have no context to answer from.');
      expect(llm.body.latency_ms).toBeGreaterThanOrEqual(0);
      const embedding = await test({ provider: 'embedding' }).expect(200);
      expect(embedding.body).toMatchObject({ ok: true, model: 'test-embed' });
      expect(embedding.body.detail).toContain('12 dimensions');
      expect((await test({ provider: 'rerank' }).expect(200)).body).toMatchObject({
        ok: true,
        model: 'test-rerank',
      });
      expect(provider.requests.map((r) => [r.path, r.authorization])).toEqual([
        ['/v1/chat/completions', `Bearer ${PROVIDER_KEY}`],
        ['/v1/embeddings', `Bearer ${PROVIDER_KEY}`],
        ['/v1/rerank', `Bearer ${PROVIDER_KEY}`],
      ]);
    });

    it('reports a failing provider as ok false with its kind, never the key, and audits the test', async () => {
      provider.play({ status: 401, body: JSON.stringify({ error: { message: 'bad key' } }) });
      const res = await test({ provider: 'llm' }).expect(200);
      expect(res.body).toMatchObject({ configured: true, ok: false, failure: 'rejected' });
      expect(JSON.stringify(res.body)).not.toContain(PROVIDER_KEY);
      const ds = t.app.get(DataSource);
      const [event] = await ds.query(
        `SELECT outcome, details FROM audit_events WHERE tenant_id = $1 AND action = 'tenant_config.test'
         ORDER BY seq DESC LIMIT 1`,
        [tenant.id],
      );
      expect(event).toEqual({
        outcome: 'error',
        details: { provider: 'llm', configured: true, model: 'test-chat', failure: 'rejected' },
      });
    });

    it('is for tenant admins: 403 to an editor, 404 outside the tenant, 400 for an unknown provider', async () => {
      expect((await test({ provider: 'llm' }, editor)).status).toBe(403);
      expect((await test({ provider: 'llm' }, outsider)).status).toBe(404);
      const bad = await test({ provider: 'vectors' });
      expect({ status: bad.status, code: bad.body.code }).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
      expect(provider.requests.length).toBeLessThanOrEqual(4);
    });
  });
});
