import {
  addMember,
  addTextDocument,
  bearer,
  createKnowledgeBase,
  createTenant,
  KnowledgeBase,
  loginAdmin,
  Tenant,
  uniqueSlug,
  waitForDocument,
} from '../factories';
import { describeE2E, startTestApp, TestApp } from '../support/test-app';

/**
 * DEFAULT_TENANT/DEFAULT_KB: `/api/v1/documents…`, `/api/v1/query` and `/api/v1/graph…` act on
 * that KB, with the full path's authentication, policies, isolation and audit.
 */
describeE2E('single-workspace routes', () => {
  const tenantSlug = uniqueSlug('legacy');
  let t: TestApp;
  let tenant: Tenant;
  let kb: KnowledgeBase;
  let admin: string;
  let viewer: string;
  let outsider: string;

  beforeAll(async () => {
    t = await startTestApp({ DEFAULT_TENANT: tenantSlug, DEFAULT_KB: 'main' });
    const platform = await loginAdmin(t.http);
    tenant = await createTenant(t.http, platform, tenantSlug);
    admin = (await addMember(t.http, platform, tenant, { role: 'admin' })).token;
    viewer = (await addMember(t.http, admin, tenant, { role: 'viewer' })).token;
    kb = await createKnowledgeBase(t.http, admin, tenant, { slug: 'main' });
    await createKnowledgeBase(t.http, admin, tenant, { slug: 'other' });
    const elsewhere = await createTenant(t.http, platform);
    await createKnowledgeBase(t.http, platform, elsewhere, { slug: 'main' }).catch(() => undefined);
    outsider = (await addMember(t.http, platform, elsewhere, { role: 'admin' })).token;
  }, 60_000);
  afterAll(() => t.close());

  it('adds, lists, reads and queries documents of the default KB', async () => {
    const added = await t.http
      .post('/api/v1/documents')
      .set(bearer(admin))
      .send({ text: 'The Aurora ferry leaves Port Anselm every morning at seven.', title: 'Ferries' })
      .expect(202);
    const id = added.body.documents[0].id as string;
    expect((await waitForDocument(t.http, admin, tenant, kb, id)).status).toBe('processed');

    const listed = await t.http.get('/api/v1/documents?limit=10').set(bearer(admin)).expect(200);
    expect(listed.body.items.map((d: { id: string }) => d.id)).toEqual([id]);
    const one = await t.http.get(`/api/v1/documents/${id}`).set(bearer(viewer)).expect(200);
    expect(one.body).toMatchObject({ id, title: 'Ferries', status: 'processed' });

    const answer = await t.http
      .post('/api/v1/query')
      .set(bearer(viewer))
      .send({ query: 'When does the Aurora ferry leave?', mode: 'naive' })
      .expect(200);
    expect(answer.body.references[0]).toMatchObject({ document_id: id, title: 'Ferries' });
    expect((await t.http.get('/api/v1/graph/labels').set(bearer(viewer))).status).toBe(200);

    // The OpenAI-compatible API of the default tenant, its KBs as models.
    const models = await t.http.get('/api/v1/openai/v1/models').set(bearer(viewer)).expect(200);
    expect(models.body.data.map((m: { id: string }) => m.id).sort()).toEqual(['main', 'other']);
    const chat = await t.http
      .post('/api/v1/openai/v1/chat/completions')
      .set(bearer(viewer))
      .send({
        model: 'main',
        messages: [{ role: 'user', content: '/naive When does the Aurora ferry leave?' }],
      })
      .expect(200);
    expect(chat.body.choices[0].message.content).toContain('seven');
    expect(chat.body.strata.references[0]).toMatchObject({ document_id: id });

    // And its Ollama API where LightRAG's server has it, at the root.
    const tags = await t.http.get('/api/tags').set(bearer(viewer)).expect(200);
    expect(tags.body.models.map((m: { name: string }) => m.name).sort()).toEqual([
      'main:latest',
      'other:latest',
    ]);
    const ollama = await t.http
      .post('/api/chat')
      .set(bearer(viewer))
      .send({
        model: 'main:latest',
        stream: false,
        messages: [{ role: 'user', content: 'When does the Aurora ferry leave?' }],
      })
      .expect(200);
    expect(ollama.body.message.content).toContain('seven');
    // And the KB's LightRAG query route where LightRAG's server has it.
    const lightrag = await t.http
      .post('/query')
      .set(bearer(viewer))
      .send({ query: 'When does the Aurora ferry leave?', mode: 'naive' })
      .expect(200);
    expect(lightrag.body.response).toContain('seven');
    expect(
      Array.isArray((await t.http.get('/graph/label/popular').set(bearer(viewer)).expect(200)).body),
    ).toBe(true);
    // And its LightRAG document routes: the document is there, and the viewer may not add one.
    const counts = await t.http.get('/documents/status_counts').set(bearer(viewer)).expect(200);
    expect(counts.body.status_counts).toMatchObject({ processed: 1, all: 1 });
    await t.http.post('/documents/text').set(bearer(viewer)).send({ text: 'A viewer note.' }).expect(403);
    const health = await t.http.get('/health').set(bearer(viewer)).expect(200);
    expect(health.body).toMatchObject({ status: 'healthy', working_directory: `${tenantSlug}/main` });
    expect((await t.http.get('/health/live').expect(200)).body).toEqual({ status: 'ok' });

    // The same KB by its full path; the other KB of the tenant stays apart.
    const full = await t.http
      .get(`/api/v1/tenants/${tenant.id}/knowledge-bases/${kb.id}/documents`)
      .set(bearer(admin))
      .expect(200);
    expect(full.body.items.map((d: { id: string }) => d.id)).toEqual([id]);
    const other = await t.http
      .get(`/api/v1/tenants/${tenant.id}/knowledge-bases/other/documents`)
      .set(bearer(admin))
      .expect(200);
    expect(other.body.items).toEqual([]);
  });

  it("applies the full path's policies, isolation and audit", async () => {
    expect((await t.http.get('/api/v1/documents')).status).toBe(401);
    const denied = await t.http.post('/api/v1/documents').set(bearer(viewer)).send({ text: 'not allowed' });
    expect(denied.status).toBe(403);
    const foreign = await t.http.get('/api/v1/documents').set(bearer(outsider));
    expect(foreign.status).toBe(404);
    expect((await t.http.get('/api/v1/openai/v1/models').set(bearer(outsider))).status).toBe(404);
    expect((await t.http.get('/api/tags').set(bearer(outsider))).status).toBe(404);
    expect((await t.http.post('/api/v1/query').set(bearer(outsider)).send({ query: 'ferry' })).status).toBe(
      404,
    );

    const id = await addTextDocument(t.http, admin, tenant, kb, 'Audit me through the short path.');
    await t.http.delete(`/api/v1/documents/${id}`).set(bearer(admin)).expect(202);
    const audit = await t.http
      .get(`/api/v1/tenants/${tenant.id}/audit?action=document.delete`)
      .set(bearer(admin))
      .expect(200);
    expect(audit.body.items).toEqual([
      expect.objectContaining({ kb_id: kb.id, resource_id: id, outcome: 'success' }),
    ]);
  });

  it('describes the short paths in the OpenAPI document', async () => {
    const spec = await t.http.get('/docs/openapi.json').expect(200);
    expect(Object.keys(spec.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/documents',
        '/api/v1/documents/{docId}',
        '/api/v1/query',
        '/api/v1/graph',
        '/api/v1/openai/v1/chat/completions',
      ]),
    );
    const params = spec.body.paths['/api/v1/documents'].get.parameters.map((p: { name: string }) => p.name);
    expect(params).not.toContain('tenantId');
    expect(params).not.toContain('kbId');
  });

  it('has no short paths without DEFAULT_TENANT and DEFAULT_KB', async () => {
    const plain = await startTestApp();
    try {
      const res = await plain.http.get('/api/v1/documents').set(bearer(await loginAdmin(plain.http)));
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('ROUTE_NOT_FOUND');
      expect((await plain.http.get('/api/tags')).status).toBe(404);
      const spec = await plain.http.get('/docs/openapi.json').expect(200);
      expect(spec.body.paths['/api/v1/query']).toBeUndefined();
    } finally {
      await plain.close();
    }
  });
});
