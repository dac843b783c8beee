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
import { POLICY_DOCUMENTS } from '../fixtures/policies';
import { OpenAiCompatibleServer } from '../support/openai-compatible-server';
import { describeE2E, startTestApp, TestApp } from '../support/test-app';

/** These suites are about chunk retrieval: their KBs answer in naive mode unless a test says otherwise. */
const NAIVE = { config: { query: { default_mode: 'naive' } } };

describeE2E('query (naive mode, no LLM)', () => {
  let t: TestApp;
  let platform: string;
  let tenant: Tenant;
  let admin: string;
  let kb: KnowledgeBase;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp();
    platform = await loginAdmin(t.http);
    tenant = await createTenant(t.http, platform);
    admin = (await addMember(t.http, platform, tenant, { role: 'admin' })).token;
    kb = await createKnowledgeBase(t.http, admin, tenant, NAIVE);
    for (const [name, text] of Object.entries(POLICY_DOCUMENTS)) {
      ids[name] = await addTextDocument(t.http, admin, tenant, kb, text, { metadata: { topic: name } });
      await waitForDocument(t.http, admin, tenant, kb, ids[name]);
    }
  });
  afterAll(() => t.close());

  const queryPath = (tn: Tenant, k: KnowledgeBase) =>
    `/api/v1/tenants/${tn.id}/knowledge-bases/${k.id}/query`;

  it('answers from the document that holds the answer, cites it, and puts it first', async () => {
    const res = await t.http
      .post(queryPath(tenant, kb))
      .set(bearer(admin))
      .send({ query: 'By how much did quarterly revenue grow?' })
      .expect(200);
    expect(res.body.mode).toBe('naive');
    expect(res.body.references[0]).toMatchObject({ id: 1, document_id: ids.revenue, title: 'Finance' });
    expect(res.body.references[0].snippet).toContain('nine percent');
    expect(res.body.answer).toMatch(/nine percent.*\[1\]/);
    expect(res.body.timings_ms.total).toBeGreaterThanOrEqual(0);
  });

  it('returns the context instead of an answer, and narrows by document ids and metadata', async () => {
    const context = await t.http
      .post(queryPath(tenant, kb))
      .set(bearer(admin))
      .send({ query: 'soup', only_need_context: true })
      .expect(200);
    expect(context.body.answer).toBeNull();
    expect(context.body.context).toContain('[1] Facilities');
    const filtered = await t.http
      .post(queryPath(tenant, kb))
      .set(bearer(admin))
      .send({ query: 'revenue soup flights', filters: { metadata: { topic: 'travel' } } })
      .expect(200);
    expect(filtered.body.references.map((r: { document_id: string }) => r.document_id)).toEqual([ids.travel]);
    const byId = await t.http
      .post(queryPath(tenant, kb))
      .set(bearer(admin))
      .send({ query: 'revenue soup flights', filters: { document_ids: [ids.cafeteria] } })
      .expect(200);
    expect(byId.body.references.map((r: { document_id: string }) => r.document_id)).toEqual([ids.cafeteria]);
  });

  it("finds nothing of it from another tenant's or another KB's scope", async () => {
    const otherKb = await createKnowledgeBase(t.http, admin, tenant);
    const empty = await t.http
      .post(queryPath(tenant, otherKb))
      .set(bearer(admin))
      .send({ query: 'quarterly revenue' })
      .expect(200);
    expect(empty.body.references).toEqual([]);
    expect(empty.body.answer).toBe('This knowledge base has no documents yet: add some before asking.');
    expect(empty.body.warnings).toEqual([
      'This knowledge base has no documents yet: add some before asking.',
    ]);
    const unrelated = await t.http
      .post(queryPath(tenant, kb))
      .set(bearer(admin))
      .send({ query: 'xylophone zeppelin' })
      .expect(200);
    expect(unrelated.body.answer).toBe('No answer was found in this knowledge base.');

    const otherTenant = await createTenant(t.http, platform);
    const otherAdmin = (await addMember(t.http, platform, otherTenant, { role: 'admin' })).token;
    const theirKb = await createKnowledgeBase(t.http, otherAdmin, otherTenant);
    await addTextDocument(
      t.http,
      otherAdmin,
      otherTenant,
      theirKb,
      'Their own note about quarterly revenue targets.',
    );
    const theirs = await t.http
      .post(queryPath(otherTenant, theirKb))
      .set(bearer(otherAdmin))
      .send({ query: 'quarterly revenue nine percent' })
      .expect(200);
    expect(JSON.stringify(theirs.body)).not.toContain(ids.revenue);
    expect(JSON.stringify(theirs.body)).not.toContain('northern sales');
    const crossing = await t.http
      .post(queryPath(tenant, kb))
      .set(bearer(otherAdmin))
      .send({ query: 'revenue' });
    expect(crossing.status).toBe(404);
    const mixed = await t.http
      .post(queryPath(otherTenant, kb))
      .set(bearer(otherAdmin))
      .send({ query: 'revenue' });
    expect(mixed.status).toBe(404);
    // A member assigned to another KB of the same tenant cannot reach this one.
    const elsewhere = (
      await addMember(t.http, admin, tenant, { role: 'viewer', knowledge_base_ids: [otherKb.id] })
    ).token;
    const scoped = await t.http.post(queryPath(tenant, kb)).set(bearer(elsewhere)).send({ query: 'revenue' });
    expect(scoped.status).toBe(404);
    expect(scoped.body.code).toBe('KB_NOT_FOUND');
  });

  it("fuses with the KB's own weights: a retriever weighted 0 is left out", async () => {
    const kbPath = `/api/v1/tenants/${tenant.id}/knowledge-bases/${kb.id}`;
    const ask = () =>
      t.http.post(queryPath(tenant, kb)).set(bearer(admin)).send({ query: 'quarterly revenue' }).expect(200);
    const documents = async () =>
      (await ask()).body.references.map((r: { document_id: string }) => r.document_id);
    const setWeights = (query: Record<string, number | null>) =>
      t.http.patch(kbPath).set(bearer(admin)).send({ config: { query } }).expect(200);
    try {
      // By default the embedded lexical embedder's vectors are left out: full text alone ranks,
      // so only the chunk holding the words comes back.
      const kbNow = await t.http.get(kbPath).set(bearer(admin)).expect(200);
      expect(kbNow.body.config.query.vector_weight).toBeNull();
      expect(kbNow.body.config.embedding.model).toBe('strata-lexical-v1');
      expect(await documents()).toEqual([ids.revenue]);
      await setWeights({ vector_weight: 0 });
      expect(await documents()).toEqual([ids.revenue]);
      await setWeights({ vector_weight: 0, text_weight: 0 });
      expect((await ask()).body.references).toEqual([]);
      // Vectors alone rank every chunk by nearness.
      await setWeights({ vector_weight: 1, text_weight: 0 });
      expect((await documents()).length).toBeGreaterThan(1);
      // Both weighted: the vector list adds the other documents below the best match.
      await setWeights({ vector_weight: 1, text_weight: 1 });
      const both = await documents();
      expect(both[0]).toBe(ids.revenue);
      expect(both.length).toBeGreaterThan(1);
      const bad = await t.http
        .patch(kbPath)
        .set(bearer(admin))
        .send({ config: { query: { rrf_k: 0 } } });
      expect(bad.status).toBe(400);
    } finally {
      await setWeights({ vector_weight: null, text_weight: 1 });
    }
    expect(await documents()).toEqual([ids.revenue]);
  });

  it("expands the question from its best chunks' words unless the KB's feedback_chunks is 0", async () => {
    const feedbackKb = await createKnowledgeBase(t.http, admin, tenant, NAIVE);
    const kbPath = `/api/v1/tenants/${tenant.id}/knowledge-bases/${feedbackKb.id}`;
    const docs: Record<string, string> = {};
    for (const [name, text] of [
      ['nozzle', 'The nozzle flow holds a shock and an expansion fan.'],
      ['duct', 'A shock and an expansion fan stand in the duct.'],
      ['wing', 'The wing flutters at low speed.'],
    ]) {
      docs[name] = await addTextDocument(t.http, admin, tenant, feedbackKb, text);
      await waitForDocument(t.http, admin, tenant, feedbackKb, docs[name]);
    }
    const documents = async () =>
      (
        await t.http
          .post(queryPath(tenant, feedbackKb))
          .set(bearer(admin))
          .send({ query: 'nozzle', only_need_context: true })
          .expect(200)
      ).body.references.map((r: { document_id: string }) => r.document_id);

    expect((await t.http.get(kbPath).set(bearer(admin)).expect(200)).body.config.query.feedback_chunks).toBe(
      10,
    );
    expect(await documents()).toEqual([docs.nozzle, docs.duct]);
    await t.http
      .patch(kbPath)
      .set(bearer(admin))
      .send({ config: { query: { feedback_chunks: 0 } } })
      .expect(200);
    expect(await documents()).toEqual([docs.nozzle]);
    for (const feedback_chunks of [-1, 51, 2.5]) {
      const bad = await t.http
        .patch(kbPath)
        .set(bearer(admin))
        .send({ config: { query: { feedback_chunks } } });
      expect(bad.status).toBe(400);
      expect(bad.body.code).toBe('VALIDATION_FAILED');
    }
  });

  it('needs run_queries, and refuses modes that are not available yet and bad input', async () => {
    const muted = (
      await addMember(t.http, admin, tenant, { role: 'viewer', permissions: { run_queries: false } })
    ).token;
    const refused = await t.http.post(queryPath(tenant, kb)).set(bearer(muted)).send({ query: 'revenue' });
    expect(refused.status).toBe(403);
    const viewer = (await addMember(t.http, admin, tenant, { role: 'viewer' })).token;
    await t.http.post(queryPath(tenant, kb)).set(bearer(viewer)).send({ query: 'revenue' }).expect(200);
    for (const [body, code] of [
      [{ query: '' }, 'VALIDATION_FAILED'],
      [{ query: 'x', mode: 'telepathy' }, 'VALIDATION_FAILED'],
      [{ query: 'x', filters: { document_ids: ['nope'] } }, 'VALIDATION_FAILED'],
      [{ query: 'x', stream: 'yes' }, 'VALIDATION_FAILED'],
    ] as const) {
      const res = await t.http.post(queryPath(tenant, kb)).set(bearer(admin)).send(body);
      expect({ body, status: res.status, code: res.body.code }).toEqual({ body, status: 400, code });
    }
  });

  it("answers through the tenant's LLM from the context, citing it; bypass and only_need_prompt; provider failures are 502", async () => {
    const llm = await OpenAiCompatibleServer.start();
    try {
      const ask = (body: Record<string, unknown>) =>
        t.http.post(queryPath(tenant, kb)).set(bearer(admin)).send(body);
      const none = await ask({ query: 'hello', mode: 'bypass' });
      expect(none.status).toBe(400);
      expect(none.body.code).toBe('LLM_NOT_CONFIGURED');

      await t.http
        .patch(`/api/v1/tenants/${tenant.id}/config`)
        .set(bearer(admin))
        .send({ llm: { base_url: llm.url, model: 'test-chat', api_key: 'sk-tenant-llm' } })
        .expect(200);
      const answered = await ask({ query: 'By how much did quarterly revenue grow?' }).expect(200);
      expect(answered.body.answer).toBe('According to the context, see [1].');
      expect(answered.body.references[0].document_id).toBe(ids.revenue);
      expect(answered.body.usage.llm_tokens_out).toBe(9);
      const call = llm.requests.at(-1)!;
      expect(call).toMatchObject({ path: '/v1/chat/completions', authorization: 'Bearer sk-tenant-llm' });
      expect(JSON.stringify(call.body.messages)).toContain('nine percent');

      const prompt = await ask({ query: 'revenue?', only_need_prompt: true }).expect(200);
      expect(prompt.body.answer).toBeNull();
      expect(prompt.body.prompt).toMatch(
        /^SYSTEM:[\s\S]*cite[\s\S]*USER:[\s\S]*\[1\] Finance[\s\S]*Question: revenue\?$/i,
      );

      const bypass = await ask({ query: 'Say hi', mode: 'bypass' }).expect(200);
      expect(bypass.body).toMatchObject({
        mode: 'bypass',
        references: [],
        answer: 'I have no context to answer from.',
      });

      llm.play({ status: 400, body: '{"error":{"message":"model not found"}}' });
      const failed = await ask({ query: 'revenue' });
      expect(failed.status).toBe(502);
      expect(failed.body.code).toBe('PROVIDER_ERROR');
      expect(failed.body.message).toContain('model not found');
      expect(failed.body.message).not.toContain('sk-tenant-llm');

      const usage = await t.http.get(`/api/v1/tenants/${tenant.id}/usage`).set(bearer(admin)).expect(200);
      expect(usage.body.daily[0].tokens_out).toBeGreaterThanOrEqual(18);
    } finally {
      await t.http
        .patch(`/api/v1/tenants/${tenant.id}/config`)
        .set(bearer(admin))
        .send({ llm: { base_url: null, model: null, api_key: null } });
      await llm.stop();
    }
  });

  it("takes LightRAG's parameters: given keywords, the caller's instructions, graph token caps", async () => {
    const ask = (body: Record<string, unknown>) =>
      t.http.post(queryPath(tenant, kb)).set(bearer(admin)).send(body).expect(200);
    const given = await ask({
      query: 'Who leads the northern region?',
      mode: 'hybrid',
      hl_keywords: ['regional growth'],
      ll_keywords: ['Northern Region'],
      only_need_context: true,
    });
    expect(given.body.keywords).toEqual({ high_level: ['regional growth'], low_level: ['Northern Region'] });
    const prompt = await ask({
      query: 'revenue?',
      user_prompt: 'Answer in French.',
      max_entity_tokens: 0,
      max_relation_tokens: 0,
      only_need_prompt: true,
    });
    expect(prompt.body.prompt).toMatch(/^SYSTEM:[\s\S]*Additional instructions: Answer in French\.\n/);
    expect(prompt.body.prompt).not.toMatch(/^Entities:|^Relations:/m);
  });

  it('audits each query (the text only when the tenant allows it) and counts it in usage', async () => {
    await t.http
      .post(queryPath(tenant, kb))
      .set(bearer(admin))
      .send({ query: 'secret question one' })
      .expect(200);
    await t.http
      .patch(`/api/v1/tenants/${tenant.id}/config`)
      .set(bearer(admin))
      .send({ privacy: { store_query_text: true } })
      .expect(200);
    await t.http
      .post(queryPath(tenant, kb))
      .set(bearer(admin))
      .send({ query: 'kept question two' })
      .expect(200);
    const rows: Array<{ details: Record<string, unknown>; kb_id: string; outcome: string }> = await t.app
      .get(DataSource)
      .query(
        `SELECT details, kb_id, outcome FROM audit_events WHERE tenant_id = $1 AND action = 'query.run' ORDER BY seq DESC LIMIT 2`,
        [tenant.id],
      );
    expect(rows[0]).toMatchObject({
      kb_id: kb.id,
      outcome: 'success',
      details: { mode: 'naive', query: 'kept question two' },
    });
    expect(rows[0].details.results).toEqual(expect.any(Number));
    expect(rows[0].details.latency_ms).toEqual(expect.any(Number));
    expect(rows[1].details).not.toHaveProperty('query');
    expect(JSON.stringify(rows[1])).not.toContain('secret question');
    const usage = await t.http.get(`/api/v1/tenants/${tenant.id}/usage`).set(bearer(admin)).expect(200);
    expect(usage.body.daily[0].queries).toBeGreaterThanOrEqual(2);
  });

  it('answers queries over queries_per_minute with 429', async () => {
    const limited = await createTenant(t.http, platform);
    const limitedAdmin = (await addMember(t.http, platform, limited, { role: 'admin' })).token;
    const limitedKb = await createKnowledgeBase(t.http, limitedAdmin, limited);
    await t.http
      .patch(`/api/v1/tenants/${limited.id}`)
      .set(bearer(platform))
      .send({ quotas: { queries_per_minute: 2 } })
      .expect(200);
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      statuses.push(
        (await t.http.post(queryPath(limited, limitedKb)).set(bearer(limitedAdmin)).send({ query: 'q' }))
          .status,
      );
    }
    expect(statuses).toEqual([200, 200, 429]);
    // Other routes are not queries.
    await t.http.get(`/api/v1/tenants/${limited.id}/knowledge-bases`).set(bearer(limitedAdmin)).expect(200);
  });
});
