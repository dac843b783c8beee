import { DataSource } from 'typeorm';
import { bearer } from '../factories';
import { ChatWorld, chatWorld, withTenantLlm } from '../support/chat-world';
import { describeE2E, startTestApp, TestApp } from '../support/test-app';

const REVENUE_QUESTION = 'By how much did quarterly revenue grow?';

/** LightRAG's query routes over a KB, driven with the requests a LightRAG client sends. */
describeE2E('LightRAG-compatible query routes', () => {
  let t: TestApp;
  let w: ChatWorld;
  const path = (suffix = '') =>
    `/api/v1/tenants/${w.tenant.id}/knowledge-bases/${w.handbook.slug}/lightrag/query${suffix}`;
  /** LightRAG's own header for its API key. */
  const key = () => ({ 'X-API-Key': w.key });

  beforeAll(async () => {
    t = await startTestApp();
    w = await chatWorld(t);
  }, 60_000);
  afterAll(() => t.close());

  it('answers /query as LightRAG does: response and references', async () => {
    const res = await t.http
      .post(path())
      .set(key())
      .send({ query: REVENUE_QUESTION, mode: 'naive' })
      .expect(200);
    expect(res.body).toEqual({
      response: expect.stringMatching(/nine percent.*\[1\]/),
      references: expect.arrayContaining([
        { reference_id: '1', file_path: 'Finance', document_id: w.ids.revenue },
      ]),
    });
    const bare = await t.http
      .post(path())
      .set(key())
      .send({
        query: REVENUE_QUESTION,
        mode: 'naive',
        include_references: false,
        include_chunk_content: true,
      })
      .expect(200);
    expect(bare.body.references).toBeNull();
    const withContent = await t.http
      .post(path())
      .set(key())
      .send({ query: REVENUE_QUESTION, mode: 'naive', include_chunk_content: true })
      .expect(200);
    expect(withContent.body.references[0].content[0]).toContain('nine percent');
    const context = await t.http
      .post(path())
      .set(key())
      .send({ query: REVENUE_QUESTION, mode: 'naive', only_need_context: true })
      .expect(200);
    expect(context.body.response).toContain('[1] Finance');
  });

  it('takes every LightRAG query field, and refuses what LightRAG refuses', async () => {
    const full = {
      query: REVENUE_QUESTION,
      mode: 'hybrid',
      only_need_context: false,
      only_need_prompt: true,
      response_type: 'Bullet Points',
      top_k: 20,
      chunk_top_k: 5,
      max_entity_tokens: 500,
      max_relation_tokens: 500,
      max_total_tokens: 4000,
      hl_keywords: ['growth'],
      ll_keywords: ['Northern Region'],
      conversation_history: [
        { role: 'user', content: 'Old question?' },
        { role: 'assistant', content: 'Old answer.' },
        { role: 'user', content: 'Recent question?' },
        { role: 'assistant', content: 'Recent answer.' },
      ],
      history_turns: 1,
      user_prompt: 'Answer in French.',
      enable_rerank: false,
      include_references: true,
      include_chunk_content: false,
    };
    const prompt = (await t.http.post(path()).set(key()).send(full).expect(200)).body.response as string;
    expect(prompt).toContain('Additional instructions: Answer in French.');
    expect(prompt).toContain('Bullet Points');
    expect(prompt).toContain('Recent question?');
    expect(prompt).not.toContain('Old question?');
    for (const bad of [
      { query: 'hi' },
      { query: REVENUE_QUESTION, mode: 'deep' },
      { query: REVENUE_QUESTION, top_k: 0 },
    ]) {
      const res = await t.http.post(path()).set(key()).send(bad).expect(400);
      expect(res.body).toEqual({
        detail: expect.any(String),
        code: 'VALIDATION_FAILED',
        request_id: expect.any(String),
      });
    }
  });

  it('streams /query/stream as NDJSON: references first, then the answer in pieces', async () => {
    await withTenantLlm(t, w, async () => {
      const res = await t.http
        .post(path('/stream'))
        .set(key())
        .send({ query: REVENUE_QUESTION, mode: 'naive' })
        .expect(200)
        .expect('content-type', /application\/x-ndjson/);
      const lines = (res.text.trim().split('\n') as string[]).map((line) => JSON.parse(line));
      expect(lines[0]).toEqual({
        references: expect.arrayContaining([expect.objectContaining({ reference_id: '1' })]),
      });
      expect(lines.length).toBeGreaterThan(2);
      expect(lines.slice(1).every((line) => Object.keys(line).join() === 'response')).toBe(true);
      expect(
        lines
          .slice(1)
          .map((line) => line.response)
          .join(''),
      ).toBe('According to the context, see [1].');
    });
    const whole = await t.http
      .post(path('/stream'))
      .set(key())
      .send({ query: REVENUE_QUESTION, mode: 'naive', stream: false })
      .expect(200);
    const lines = whole.text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines).toEqual([
      { references: expect.any(Array), response: expect.stringMatching(/nine percent/) },
    ]);
  });

  it('answers /query/data with what retrieval found, in LightRAG structure, without an answer', async () => {
    const res = await t.http
      .post(path('/data'))
      .set(key())
      .send({ query: REVENUE_QUESTION, mode: 'mix', ll_keywords: ['revenue'] })
      .expect(200);
    expect(res.body).toMatchObject({
      status: 'success',
      data: {
        entities: expect.any(Array),
        relationships: expect.any(Array),
        chunks: expect.arrayContaining([
          expect.objectContaining({
            file_path: 'Finance',
            reference_id: expect.any(String),
            chunk_id: expect.any(String),
          }),
        ]),
        references: expect.any(Array),
      },
      metadata: { query_mode: 'mix', keywords: { high_level: [], low_level: ['revenue'] } },
    });
    expect(res.body.data.chunks[0].content).toContain('nine percent');
    expect(res.body.metadata.processing_info.final_chunks_count).toBe(res.body.data.chunks.length);
  });

  it("reads the graph as LightRAG's routes do: labels, existence, a subgraph by name", async () => {
    const base = `/api/v1/tenants/${w.tenant.id}/knowledge-bases/${w.handbook.slug}/lightrag`;
    const popular = (await t.http.get(`${base}/graph/label/popular?limit=5`).set(key()).expect(200)).body;
    expect(Array.isArray(popular)).toBe(true);
    expect(popular.length).toBeGreaterThan(0);
    expect(popular.every((name: unknown) => typeof name === 'string')).toBe(true);
    const all = (await t.http.get(`${base}/graph/label/list`).set(key()).expect(200)).body as string[];
    expect(all).toEqual([...all].sort((a, b) => a.localeCompare(b)));
    expect(all).toEqual(expect.arrayContaining(popular));
    const name = popular[0] as string;
    const found = (
      await t.http
        .get(`${base}/graph/label/search`)
        .query({ q: name.slice(0, 4) })
        .set(key())
        .expect(200)
    ).body;
    expect(found).toContain(name);
    expect(
      (await t.http.get(`${base}/graph/entity/exists`).query({ name: name.toUpperCase() }).set(key())).body,
    ).toEqual({
      exists: true,
    });
    expect(
      (await t.http.get(`${base}/graph/entity/exists`).query({ name: 'Nobody Here' }).set(key())).body,
    ).toEqual({
      exists: false,
    });
    const graph = (
      await t.http.get(`${base}/graphs`).query({ label: name, max_depth: 2 }).set(key()).expect(200)
    ).body;
    expect(graph.nodes[0]).toEqual({
      id: name,
      labels: [name],
      properties: {
        entity_id: name,
        entity_type: expect.any(String),
        description: expect.any(String),
        degree: expect.any(Number),
      },
    });
    const ids = new Set(graph.nodes.map((node: { id: string }) => node.id));
    for (const edge of graph.edges) {
      expect(edge).toMatchObject({ type: 'DIRECTED', properties: { weight: expect.any(Number) } });
      expect(ids.has(edge.source) && ids.has(edge.target)).toBe(true);
    }
    expect(typeof graph.is_truncated).toBe('boolean');
    const everything = (
      await t.http.get(`${base}/graphs`).query({ label: '*', max_nodes: 2 }).set(key()).expect(200)
    ).body;
    expect(everything.nodes.length).toBeLessThanOrEqual(2);
    // Another tenant's key: the KB does not exist for it.
    const foreign = await t.http.get(`${base}/graph/label/list`).set(bearer(w.other.admin)).expect(404);
    expect(foreign.body).toMatchObject({ code: 'TENANT_NOT_FOUND', detail: expect.any(String) });
  });

  it("keeps to the caller's tenant and KBs, and audits each question", async () => {
    const foreign = await t.http
      .post(`/api/v1/tenants/${w.other.tenant.id}/knowledge-bases/${w.other.kb.id}/lightrag/query`)
      .set(key())
      .send({ query: REVENUE_QUESTION })
      .expect(404);
    expect(foreign.body).toEqual({
      detail: expect.any(String),
      code: 'TENANT_NOT_FOUND',
      request_id: expect.any(String),
    });
    await t.http.post(path()).set(bearer(w.other.admin)).send({ query: REVENUE_QUESTION }).expect(404);
    const asked = await t.http.post(path()).set(key()).send({ query: REVENUE_QUESTION }).expect(200);
    const events = await t.app
      .get(DataSource)
      .query(`SELECT action, outcome, kb_id FROM audit_events WHERE request_id = $1`, [
        asked.headers['x-request-id'],
      ]);
    expect(events).toEqual([{ action: 'query.run', outcome: 'success', kb_id: w.handbook.id }]);
  });
});
