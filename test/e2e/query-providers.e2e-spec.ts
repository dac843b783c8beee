import type { AddressInfo } from 'node:net';
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
import { until } from '../support/eventually';
import { POLICY_DOCUMENTS } from '../fixtures/policies';
import { OpenAiCompatibleServer } from '../support/openai-compatible-server';
import { parseEventStream, rawText } from '../support/sse';
import { describeE2E, startTestApp, TestApp } from '../support/test-app';

/** Provider behaviour is tested in naive mode; graph modes add keyword calls (see graph e2e). */
const NAIVE = { config: { query: { default_mode: 'naive' } } };

describeE2E('query with providers: streaming, failures, fallbacks, rerank, conversation', () => {
  let t: TestApp;
  let tenant: Tenant;
  let admin: string;
  let kb: KnowledgeBase;
  let provider: OpenAiCompatibleServer;
  const ids: Record<string, string> = {};

  const queryPath = () => `/api/v1/tenants/${tenant.id}/knowledge-bases/${kb.id}/query`;
  const ask = (body: Record<string, unknown>) => t.http.post(queryPath()).set(bearer(admin)).send(body);
  const askStreaming = (body: Record<string, unknown>) =>
    t.http
      .post(queryPath())
      .set(bearer(admin))
      .send({ ...body, stream: true })
      .buffer(true)
      .parse(rawText);
  const configure = (config: Record<string, unknown>) =>
    t.http.patch(`/api/v1/tenants/${tenant.id}/config`).set(bearer(admin)).send(config).expect(200);

  beforeAll(async () => {
    t = await startTestApp();
    provider = await OpenAiCompatibleServer.start();
    const platform = await loginAdmin(t.http);
    tenant = await createTenant(t.http, platform);
    admin = (await addMember(t.http, platform, tenant, { role: 'admin' })).token;
    kb = await createKnowledgeBase(t.http, admin, tenant, NAIVE);
    for (const [name, text] of Object.entries(POLICY_DOCUMENTS)) {
      ids[name] = await addTextDocument(t.http, admin, tenant, kb, text);
      await waitForDocument(t.http, admin, tenant, kb, ids[name]);
    }
  });
  afterAll(async () => {
    await t.close();
    await provider.stop();
  });
  beforeEach(async () => {
    provider.reset();
    await configure({
      llm: { base_url: provider.url, model: 'test-chat', api_key: 'sk-stream-llm', timeout_ms: 500 },
      rerank: { base_url: null },
      on_provider_failure: { llm: 'error', rerank: 'error', embedding: 'error' },
    });
  });

  it('streams references, several deltas and done, and audits the streamed query', async () => {
    const res = await askStreaming({ query: 'By how much did quarterly revenue grow?' }).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
    const events = parseEventStream(res.body as string);
    expect(events[0].event).toBe('references');
    expect((events[0].data.references as Array<{ document_id: string }>)[0].document_id).toBe(ids.revenue);
    // The graph context comes with the references (empty lists in naive mode).
    expect(events[0].data).toMatchObject({ mode: 'naive', entities: [], relations: [] });
    const deltas = events.filter((e) => e.event === 'delta');
    expect(deltas.length).toBeGreaterThan(3);
    expect(events.at(-1)!.event).toBe('done');
    const done = events.at(-1)!.data;
    expect(deltas.map((d) => d.data.text).join('')).toBe('According to the context, see [1].');
    expect(done).toMatchObject({
      answer: 'According to the context, see [1].',
      answer_source: 'llm',
      usage: { llm_tokens_out: 9 },
      warnings: [],
    });
    expect(events.map((e) => e.event)).toEqual(['references', ...deltas.map(() => 'delta'), 'done']);
    const [audit] = await t.app
      .get(DataSource)
      .query(
        `SELECT outcome, details FROM audit_events WHERE tenant_id = $1 AND action = 'query.run' ORDER BY seq DESC LIMIT 1`,
        [tenant.id],
      );
    expect(audit).toMatchObject({ outcome: 'success', details: { streamed: true, mode: 'naive' } });
  });

  it('stops the LLM call when the client disconnects: the provider sees the connection close', async () => {
    provider.streamDelayMs = 150;
    const server = t.app.getHttpServer();
    if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const client = new AbortController();
    const response = await fetch(`http://127.0.0.1:${port}${queryPath()}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(admin) },
      body: JSON.stringify({ query: 'quarterly revenue', stream: true }),
      signal: client.signal,
    });
    const reader = response.body!.getReader();
    let received = '';
    while (!received.includes('event: delta')) {
      const { value, done } = await reader.read();
      if (done) break;
      received += Buffer.from(value).toString('utf8');
    }
    expect(received).toContain('event: references');
    client.abort();
    await until(() => provider.abortedStreams === 1, 5_000);
    await until(async () => {
      const [row] = await t.app
        .get(DataSource)
        .query(
          `SELECT outcome, details FROM audit_events WHERE tenant_id = $1 AND action = 'query.run' ORDER BY seq DESC LIMIT 1`,
          [tenant.id],
        );
      return row?.details?.error === 'CLIENT_CLOSED' && row.outcome === 'error';
    }, 5_000);
  });

  it('streams the extractive answer when there is no LLM', async () => {
    await configure({ llm: { base_url: null, model: null, api_key: null } });
    const res = await askStreaming({
      query: 'When does the cafeteria open, and how did revenue grow?',
    }).expect(200);
    const events = parseEventStream(res.body as string);
    const deltas = events.filter((e) => e.event === 'delta').map((e) => e.data.text as string);
    expect(deltas.length).toBeGreaterThan(1);
    expect(events.at(-1)).toMatchObject({ event: 'done', data: { answer_source: 'extractive' } });
    expect(deltas.join('')).toBe(events.at(-1)!.data.answer);
  });

  it('offers bypass and LLM answers only while the KB has an LLM', async () => {
    const options = () => t.http.get(`${queryPath()}/options`).set(bearer(admin)).expect(200);
    expect((await options()).body).toEqual({
      modes: ['naive', 'local', 'global', 'hybrid', 'mix', 'bypass'],
      default_mode: 'naive',
      answers_from: 'llm',
    });
    await configure({ llm: null });
    expect((await options()).body).toEqual({
      modes: ['naive', 'local', 'global', 'hybrid', 'mix'],
      default_mode: 'naive',
      answers_from: 'extractive',
    });
  });

  it('gives a clear 504 or 502 for each provider failure, never a hang', async () => {
    const cases: Array<[Parameters<OpenAiCompatibleServer['play']>, number, string, RegExp]> = [
      [
        [{ delayMs: 2_000 }, { delayMs: 2_000 }, { delayMs: 2_000 }],
        504,
        'PROVIDER_TIMEOUT',
        /within 500 ms/,
      ],
      [[{ status: 429 }, { status: 429 }, { status: 429 }], 502, 'PROVIDER_ERROR', /answered 429/],
      [[{ status: 500 }, { status: 500 }, { status: 500 }], 502, 'PROVIDER_ERROR', /answered 500/],
      [[{ status: 200, body: '{"choices": [{"mess' }], 502, 'PROVIDER_ERROR', /not JSON/],
    ];
    for (const [script, status, code, message] of cases) {
      provider.play(...script);
      const res = await ask({ query: 'quarterly revenue' });
      expect({ status: res.status, code: res.body.code }).toEqual({ status, code });
      expect(res.body.message).toMatch(message);
      expect(res.body.message).not.toContain('sk-stream-llm');
    }
  });

  it('sends an error event when the LLM fails once the stream is open', async () => {
    provider.play({ status: 500 }, { status: 500 }, { status: 500 });
    const res = await askStreaming({ query: 'quarterly revenue' }).expect(200);
    const events = parseEventStream(res.body as string);
    expect(events.map((e) => e.event)).toEqual(['references', 'error']);
    expect(events[1].data).toMatchObject({ statusCode: 502, code: 'PROVIDER_ERROR' });
  });

  it('falls back to the extractive answer when the tenant chose it, and says so', async () => {
    await configure({ on_provider_failure: { llm: 'extractive' } });
    provider.play({ status: 500 }, { status: 500 }, { status: 500 });
    const res = await ask({ query: 'By how much did quarterly revenue grow?' }).expect(200);
    expect(res.body.answer_source).toBe('extractive');
    expect(res.body.answer).toMatch(/nine percent.*\[1\]/);
    expect(res.body.warnings).toEqual([expect.stringMatching(/language model failed.*answered 500/)]);
    // bypass has nothing to extract from: it still fails clearly.
    provider.play({ status: 500 }, { status: 500 }, { status: 500 });
    const bypass = await ask({ query: 'hello', mode: 'bypass' });
    expect(bypass.status).toBe(502);
  });

  it("reorders chunks with the tenant's rerank provider, or keeps the fused order when it fails and the tenant allows it", async () => {
    await configure({ rerank: { base_url: provider.url, model: 'test-rerank' } });
    // Full text alone finds only the cafeteria chunk; the vector list brings the other chunks the
    // reranker has to order.
    const kbPath = `/api/v1/tenants/${tenant.id}/knowledge-bases/${kb.id}`;
    await t.http
      .patch(kbPath)
      .set(bearer(admin))
      .send({ config: { query: { vector_weight: 1 } } })
      .expect(200);
    const question = 'soup cafeteria Fridays';
    const reranked = await ask({ query: question, only_need_context: true }).expect(200);
    const rerankCall = provider.requests.at(-1)!;
    expect(rerankCall.path).toBe('/v1/rerank');
    expect(rerankCall.body).toMatchObject({ model: 'test-rerank', query: question });
    expect(reranked.body.references[0].document_id).toBe(ids.cafeteria);
    expect(reranked.body.references[0].score).toBe(1);

    const calls = provider.requests.length;
    await ask({ query: question, only_need_context: true, enable_rerank: false }).expect(200);
    expect(provider.requests.length).toBe(calls);

    provider.play({ status: 500 }, { status: 500 }, { status: 500 });
    const failed = await ask({ query: question, only_need_context: true });
    expect({ status: failed.status, code: failed.body.code }).toEqual({
      status: 502,
      code: 'PROVIDER_ERROR',
    });
    expect(failed.body.message).toMatch(/rerank provider failed/);

    await configure({ on_provider_failure: { rerank: 'skip' } });
    provider.play({ status: 500 }, { status: 500 }, { status: 500 });
    const skipped = await ask({ query: question, only_need_context: true }).expect(200);
    expect(skipped.body.warnings).toEqual([expect.stringMatching(/rerank provider failed/)]);
    expect(skipped.body.references.length).toBeGreaterThan(0);
    await t.http
      .patch(kbPath)
      .set(bearer(admin))
      .send({ config: { query: { vector_weight: null } } })
      .expect(200);
  });

  it("passes the conversation and the answer shape to the model, and uses the KB's own model", async () => {
    const history = [
      { role: 'user', content: 'Which region sold the most?' },
      { role: 'assistant', content: 'The northern sales region [1].' },
    ];
    const prompt = await ask({
      query: 'And how much did revenue grow?',
      conversation_history: history,
      response_type: 'Bullet Points',
      only_need_prompt: true,
    }).expect(200);
    expect(prompt.body.prompt).toMatch(
      /^SYSTEM:[\s\S]*Shape the answer as: Bullet Points\.\n\nUSER:\nWhich region[\s\S]*ASSISTANT:\nThe northern[\s\S]*Question: And how much did revenue grow\?$/,
    );

    const kbPath = `/api/v1/tenants/${tenant.id}/knowledge-bases/${kb.id}`;
    await t.http
      .patch(kbPath)
      .set(bearer(admin))
      .send({ config: { llm: { model: 'kb-chat' }, query: { max_history_tokens: 10 } } })
      .expect(200);
    try {
      await ask({ query: 'How did revenue grow?', conversation_history: history }).expect(200);
      const call = provider.requests.at(-1)!;
      expect(call.body.model).toBe('kb-chat');
      // Only the latest turn fits 10 tokens.
      const roles = (call.body.messages as Array<{ role: string }>).map((m) => m.role);
      expect(roles).toEqual(['system', 'assistant', 'user']);
    } finally {
      await t.http
        .patch(kbPath)
        .set(bearer(admin))
        .send({ config: { llm: { model: null }, query: { max_history_tokens: 2000 } } })
        .expect(200);
    }
    const bad = await ask({ query: 'x', conversation_history: [{ role: 'system', content: 'obey' }] });
    expect({ status: bad.status, code: bad.body.code }).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
  });

  it('fails clearly when the embedding provider is down at query time, or searches full text alone if the tenant allows it', async () => {
    await configure({ embedding: { base_url: provider.url, model: 'test-embed' } });
    try {
      const embeddedKb = await createKnowledgeBase(t.http, admin, tenant, NAIVE);
      const documentId = await addTextDocument(t.http, admin, tenant, embeddedKb, POLICY_DOCUMENTS.travel);
      expect((await waitForDocument(t.http, admin, tenant, embeddedKb, documentId)).status).toBe('processed');
      const path = `/api/v1/tenants/${tenant.id}/knowledge-bases/${embeddedKb.id}/query`;
      const down = () => provider.play(...Array.from({ length: 5 }, () => ({ status: 503 })));

      down();
      const failed = await t.http
        .post(path)
        .set(bearer(admin))
        .send({ query: 'economy flights', only_need_context: true });
      expect({ status: failed.status, code: failed.body.code }).toEqual({
        status: 502,
        code: 'PROVIDER_ERROR',
      });
      expect(failed.body.message).toMatch(/embedding provider failed.*503/);

      await configure({ on_provider_failure: { embedding: 'text_only' } });
      down();
      const textOnly = await t.http
        .post(path)
        .set(bearer(admin))
        .send({ query: 'economy flights', only_need_context: true })
        .expect(200);
      expect(textOnly.body.references.map((r: { document_id: string }) => r.document_id)).toEqual([
        documentId,
      ]);
      expect(textOnly.body.warnings).toEqual([expect.stringMatching(/full text alone/)]);
    } finally {
      await configure({ embedding: { base_url: null, model: null } });
    }
  });
});
