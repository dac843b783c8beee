import OpenAI from 'openai';
import { DataSource } from 'typeorm';
import {
  addMember,
  bearer,
  createKnowledgeBase,
  createTenant,
  KnowledgeBase,
  Tenant,
  uniqueSlug,
} from '../factories';
import { chatWorld, withTenantLlm } from '../support/chat-world';
import { describeE2E, startTestApp, TestApp } from '../support/test-app';

const REVENUE_QUESTION = 'By how much did quarterly revenue grow?';

/** The official OpenAI client, unmodified, pointed at a tenant's OpenAI-compatible base URL. */
const client = (base: string, tenant: Tenant, apiKey: string) =>
  new OpenAI({ baseURL: `${base}/api/v1/tenants/${tenant.slug}/openai/v1`, apiKey, maxRetries: 0 });

/** What the client threw, as its APIError carries it. */
async function refusal(call: Promise<unknown>): Promise<{ status: number; code: string; type: string }> {
  try {
    await call;
  } catch (error) {
    if (error instanceof OpenAI.APIError) {
      return { status: error.status ?? 0, code: String(error.code), type: String(error.type) };
    }
    throw error;
  }
  throw new Error('the call was not refused');
}

describeE2E('OpenAI-compatible chat completions', () => {
  let t: TestApp;
  let base: string;
  let platform: string;
  let tenant: Tenant;
  let admin: string;
  let handbook: KnowledgeBase;
  let travel: KnowledgeBase;
  let key: string;
  let other: { tenant: Tenant; admin: string; kb: KnowledgeBase };
  let ids: Record<string, string>;

  beforeAll(async () => {
    t = await startTestApp();
    ({ base, platform, tenant, admin, handbook, ids, key, other } = await chatWorld(t));
    travel = await createKnowledgeBase(t.http, admin, tenant, { slug: uniqueSlug('travel') });
  }, 60_000);
  afterAll(() => t.close());

  it('lists the KBs an API key may query as models, and reads one', async () => {
    const openai = client(base, tenant, key);
    const models = [];
    for await (const model of openai.models.list()) models.push(model);
    expect(models.map((m) => m.id).sort()).toEqual([handbook.slug, travel.slug].sort());
    expect(models[0]).toEqual({
      id: expect.any(String),
      object: 'model',
      created: expect.any(Number),
      owned_by: tenant.slug,
    });
    expect(await openai.models.retrieve(handbook.slug)).toMatchObject({ id: handbook.slug, object: 'model' });
  });

  it('answers a chat completion from the KB, citing it, with the references in `strata`', async () => {
    const completion = await client(base, tenant, key).chat.completions.create({
      model: handbook.slug,
      messages: [
        { role: 'system', content: 'You are a helpful assistant.' },
        { role: 'user', content: REVENUE_QUESTION },
      ],
      temperature: 0.2,
    });
    expect(completion.object).toBe('chat.completion');
    expect(completion.model).toBe(handbook.slug);
    expect(completion.choices).toHaveLength(1);
    expect(completion.choices[0]).toMatchObject({ index: 0, finish_reason: 'stop' });
    expect(completion.choices[0].message.content).toMatch(/nine percent.*\[1\]/);
    // Extractive (no LLM configured): no LLM tokens spent.
    expect(completion.usage).toEqual({ prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 });
    const strata = (completion as unknown as { strata: { answer_source: string; references: unknown[] } })
      .strata;
    expect(strata.answer_source).toBe('extractive');
    expect(strata.references[0]).toMatchObject({ id: 1, document_id: ids.revenue, title: 'Finance' });
  });

  it('streams the same answer as chunks, references first and usage last, ending the stream', async () => {
    const whole = await client(base, tenant, key).chat.completions.create({
      model: handbook.slug,
      messages: [{ role: 'user', content: REVENUE_QUESTION }],
    });
    const stream = await client(base, tenant, key).chat.completions.create({
      model: handbook.slug,
      messages: [{ role: 'user', content: REVENUE_QUESTION }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.every((c) => c.object === 'chat.completion.chunk' && c.id === chunks[0].id)).toBe(true);
    expect(chunks[0].choices[0].delta.role).toBe('assistant');
    expect(
      (chunks[0] as unknown as { strata: { references: unknown[] } }).strata.references[0],
    ).toMatchObject({
      document_id: ids.revenue,
    });
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
    expect(text).toBe(whole.choices[0].message.content);
    expect(chunks.at(-2)!.choices[0].finish_reason).toBe('stop');
    expect(chunks.at(-1)!.choices).toEqual([]);
    expect(chunks.at(-1)!.usage).toEqual({ prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 });
  });

  it('chooses the query mode from a /mode prefix, the KB default without one', async () => {
    const ask = (content: string) =>
      client(base, tenant, key).chat.completions.create({
        model: handbook.slug,
        messages: [
          { role: 'user', content: 'What does the cafeteria serve?' },
          { role: 'assistant', content: 'Soup on Fridays.' },
          { role: 'user', content },
        ],
      });
    const mode = (completion: unknown) => (completion as { strata: { mode: string } }).strata.mode;
    expect(mode(await ask(`/naive ${REVENUE_QUESTION}`))).toBe('naive');
    expect(mode(await ask(`/local ${REVENUE_QUESTION}`))).toBe('local');
    expect(mode(await ask(REVENUE_QUESTION))).toBe('mix');
  });

  it("answers through the tenant's LLM when it has one, streamed as the LLM writes", async () => {
    await withTenantLlm(t, { tenant, admin }, async (llm) => {
      const openai = client(base, tenant, key);
      const completion = await openai.chat.completions.create({
        model: handbook.slug,
        messages: [
          { role: 'system', content: 'Answer like a pirate.' },
          { role: 'user', content: '/global What does the cafeteria serve?' },
          { role: 'assistant', content: 'Soup on Fridays.' },
          { role: 'user', content: `/naive ${REVENUE_QUESTION}` },
        ],
      });
      expect(completion.choices[0].message.content).toBe('According to the context, see [1].');
      expect(completion.usage!.completion_tokens).toBe(9);
      // The LLM saw the context and the earlier turns (prefix dropped), not the client's system prompt.
      const sent = JSON.stringify(llm.requests.at(-1)!.body.messages);
      expect(sent).toContain('nine percent');
      expect(sent).toContain('What does the cafeteria serve?');
      expect(sent).toContain('Soup on Fridays.');
      expect(sent).not.toContain('/global');
      expect(sent).not.toContain('pirate');

      const stream = await openai.chat.completions.create({
        model: handbook.slug,
        messages: [{ role: 'user', content: `/naive ${REVENUE_QUESTION}` }],
        stream: true,
      });
      const deltas: string[] = [];
      for await (const chunk of stream) deltas.push(chunk.choices[0]?.delta.content ?? '');
      expect(deltas.filter((d) => d !== '').length).toBeGreaterThan(1);
      expect(deltas.join('')).toBe('According to the context, see [1].');
    });
  });

  it('records the question in the audit trail and usage of the KB it asked', async () => {
    const completion = await client(base, tenant, key).chat.completions.create({
      model: travel.slug,
      messages: [{ role: 'user', content: 'Which class for short flights?' }],
    });
    const requestId = completion._request_id;
    expect(requestId).toBeTruthy();
    const events = await t.app
      .get(DataSource)
      .query(`SELECT action, outcome, kb_id, actor_type FROM audit_events WHERE request_id = $1`, [
        requestId,
      ]);
    expect(events).toEqual([
      { action: 'query.run', outcome: 'success', kb_id: travel.id, actor_type: 'api_key' },
    ]);
  });

  it("answers 404 for another tenant's KB as a model, and for another tenant's path, in OpenAI's error shape", async () => {
    const openai = client(base, tenant, key);
    const ask = (model: string) =>
      openai.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] });
    expect(await refusal(ask(other.kb.slug))).toEqual({
      status: 404,
      code: 'KB_NOT_FOUND',
      type: 'invalid_request_error',
    });
    expect(await refusal(ask(other.kb.id))).toMatchObject({ status: 404, code: 'KB_NOT_FOUND' });
    expect(await refusal(openai.models.retrieve(other.kb.slug))).toMatchObject({ status: 404 });
    // The other tenant's admin on this tenant's base URL: the tenant does not exist for them.
    const outsider = client(base, tenant, other.admin);
    expect(await refusal(outsider.models.list())).toMatchObject({ status: 404, code: 'TENANT_NOT_FOUND' });
    expect(
      await refusal(
        outsider.chat.completions.create({
          model: handbook.slug,
          messages: [{ role: 'user', content: 'hi' }],
        }),
      ),
    ).toMatchObject({ status: 404, code: 'TENANT_NOT_FOUND' });
    const raw = await t.http
      .post(`/api/v1/tenants/${tenant.id}/openai/v1/chat/completions`)
      .set(bearer(key))
      .send({ model: other.kb.slug, messages: [{ role: 'user', content: 'hi' }] })
      .expect(404);
    expect(raw.body).toEqual({
      error: {
        message: 'The model does not exist or you do not have access to it',
        type: 'invalid_request_error',
        param: null,
        code: 'KB_NOT_FOUND',
        request_id: expect.any(String),
      },
    });
  });

  it('lists and answers only the KBs a member is assigned to', async () => {
    const viewer = (
      await addMember(t.http, admin, tenant, { role: 'viewer', knowledge_base_ids: [travel.id] })
    ).token;
    const openai = client(base, tenant, viewer);
    const models = [];
    for await (const model of openai.models.list()) models.push(model.id);
    expect(models).toEqual([travel.slug]);
    expect(
      await refusal(
        openai.chat.completions.create({ model: handbook.slug, messages: [{ role: 'user', content: 'hi' }] }),
      ),
    ).toMatchObject({ status: 404, code: 'KB_NOT_FOUND' });
    // The platform admin runs tenants but does not read them.
    expect(await refusal(client(base, tenant, platform).models.list())).toMatchObject({
      status: 403,
      type: 'permission_error',
    });
  });

  it('refuses a conversation it cannot answer with 400 VALIDATION_FAILED', async () => {
    const openai = client(base, tenant, key);
    const cases: Array<Record<string, unknown>> = [
      { model: handbook.slug, messages: [] },
      { model: handbook.slug, messages: [{ role: 'assistant', content: 'Hello' }] },
      { model: handbook.slug, messages: [{ role: 'user', content: '/mix   ' }] },
      {
        model: handbook.slug,
        messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'http://x/y.png' } }] }],
      },
      { model: handbook.slug, messages: [{ role: 'user', content: 'x'.repeat(8001) }] },
      { model: handbook.slug, messages: [{ role: 'user', content: 'hi' }], n: 2 },
      { model: handbook.slug, messages: [{ role: 'user', content: 'hi' }], logit_bias: {} },
    ];
    for (const body of cases) {
      expect({ body, refused: await refusal(openai.chat.completions.create(body as never)) }).toEqual({
        body,
        refused: { status: 400, code: 'VALIDATION_FAILED', type: 'invalid_request_error' },
      });
    }
    // Text parts are read as the question.
    const parts = await openai.chat.completions.create({
      model: handbook.slug,
      messages: [{ role: 'user', content: [{ type: 'text', text: REVENUE_QUESTION }] }],
    });
    expect(parts.choices[0].message.content).toContain('nine percent');
  });

  it("counts against the tenant's queries_per_minute and says so in OpenAI's shape", async () => {
    const limited = await createTenant(t.http, platform);
    const limitedAdmin = (await addMember(t.http, platform, limited, { role: 'admin' })).token;
    const kb = await createKnowledgeBase(t.http, limitedAdmin, limited, { slug: uniqueSlug('limited') });
    await t.http
      .patch(`/api/v1/tenants/${limited.id}`)
      .set(bearer(platform))
      .send({ quotas: { queries_per_minute: 1 } })
      .expect(200);
    const openai = client(base, limited, limitedAdmin);
    const ask = () =>
      openai.chat.completions.create({ model: kb.slug, messages: [{ role: 'user', content: 'hi' }] });
    await ask();
    expect(await refusal(ask())).toEqual({
      status: 429,
      code: 'QUOTA_QUERIES_PER_MINUTE_EXCEEDED',
      type: 'rate_limit_error',
    });
  });
});
