import { Ollama } from 'ollama';
import { DataSource } from 'typeorm';
import { bearer, Tenant } from '../factories';
import { ChatWorld, chatWorld, withTenantLlm } from '../support/chat-world';
import { describeE2E, startTestApp, TestApp } from '../support/test-app';

const REVENUE_QUESTION = 'By how much did quarterly revenue grow?';

/** The official Ollama client, unmodified, pointed at a tenant's Ollama-compatible host. */
const client = (base: string, tenant: Tenant, token?: string) =>
  new Ollama({
    host: `${base}/api/v1/tenants/${tenant.slug}/ollama`,
    ...(token ? { headers: { Authorization: `Bearer ${token}` } } : {}),
  });

/** What the client threw: Ollama's clients show `error` and know the status. */
async function refusal(call: Promise<unknown>): Promise<{ status: number; message: string }> {
  try {
    await call;
  } catch (error) {
    const { status_code, error: message } = error as { status_code?: number; error?: string };
    if (status_code !== undefined) return { status: status_code, message: String(message) };
    throw error;
  }
  throw new Error('the call was not refused');
}

describeE2E('Ollama-compatible chat API', () => {
  let t: TestApp;
  let w: ChatWorld;

  beforeAll(async () => {
    t = await startTestApp();
    w = await chatWorld(t);
  }, 60_000);
  afterAll(() => t.close());

  it('says its version to anyone, and lists the KBs a key may query as models', async () => {
    expect(await client(w.base, w.tenant).version()).toEqual({
      version: expect.stringMatching(/^\d+\.\d+\.\d+$/),
    });
    // The same answer whether the tenant exists or not: the public probe tells nothing about tenants.
    expect(await client(w.base, { ...w.tenant, slug: 'no-such-tenant' }).version()).toEqual(
      await client(w.base, w.tenant).version(),
    );
    const { models } = await client(w.base, w.tenant, w.key).list();
    expect(models).toEqual([
      {
        name: `${w.handbook.slug}:latest`,
        model: `${w.handbook.slug}:latest`,
        modified_at: expect.any(String),
        size: 0,
        digest: expect.stringMatching(/^[0-9a-f]{64}$/),
        details: expect.objectContaining({ family: 'strata' }),
      },
    ]);
    const shown = await client(w.base, w.tenant, w.key).show({ model: `${w.handbook.slug}:latest` });
    expect(shown.capabilities).toEqual(['completion']);
    expect(await refusal(client(w.base, w.tenant).list())).toMatchObject({ status: 401 });
  });

  it('answers a chat from the KB, citing it, streamed by default and whole on request', async () => {
    const ollama = client(w.base, w.tenant, w.key);
    const whole = await ollama.chat({
      model: `${w.handbook.slug}:latest`,
      messages: [{ role: 'user', content: REVENUE_QUESTION }],
    });
    expect(whole.message).toEqual({
      role: 'assistant',
      content: expect.stringMatching(/nine percent.*\[1\]/),
    });
    expect(whole).toMatchObject({ model: `${w.handbook.slug}:latest`, done: true, done_reason: 'stop' });
    const strata = (whole as unknown as { strata: { references: Array<{ document_id: string }> } }).strata;
    expect(strata.references[0].document_id).toBe(w.ids.revenue);

    const parts = [];
    for await (const part of await ollama.chat({
      model: w.handbook.slug,
      messages: [{ role: 'user', content: REVENUE_QUESTION }],
      stream: true,
    }))
      parts.push(part);
    expect(parts.at(-1)).toMatchObject({ done: true, done_reason: 'stop', message: { content: '' } });
    expect(parts.slice(0, -1).every((p) => p.done === false)).toBe(true);
    expect(parts.map((p) => p.message.content).join('')).toBe(whole.message.content);

    // Ollama's own default is to stream: a request without `stream` gets NDJSON.
    const raw = await fetch(`${w.base}/api/v1/tenants/${w.tenant.id}/ollama/api/chat`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${w.key}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        model: w.handbook.slug,
        messages: [{ role: 'user', content: REVENUE_QUESTION }],
      }),
    });
    expect(raw.headers.get('content-type')).toContain('application/x-ndjson');
    const lines = (await raw.text())
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { done: boolean });
    expect(lines.at(-1)!.done).toBe(true);
  });

  it('generates from a prompt, loads on an empty one, and takes a /mode prefix', async () => {
    const ollama = client(w.base, w.tenant, w.key);
    const generated = await ollama.generate({ model: w.handbook.slug, prompt: `/naive ${REVENUE_QUESTION}` });
    expect(generated.response).toMatch(/nine percent/);
    expect((generated as unknown as { strata: { mode: string } }).strata.mode).toBe('naive');
    const pieces: string[] = [];
    for await (const part of await ollama.generate({
      model: w.handbook.slug,
      prompt: REVENUE_QUESTION,
      stream: true,
    }))
      pieces.push(part.response ?? '');
    expect(pieces.join('')).toMatch(/nine percent/);
    expect(await ollama.generate({ model: w.handbook.slug, prompt: '' })).toMatchObject({
      done: true,
      done_reason: 'load',
      response: '',
    });
  });

  it("streams the tenant's LLM as it writes, with the earlier turns as history", async () => {
    await withTenantLlm(t, w, async (llm) => {
      const parts = [];
      for await (const part of await client(w.base, w.tenant, w.key).chat({
        model: w.handbook.slug,
        messages: [
          { role: 'user', content: 'What does the cafeteria serve?' },
          { role: 'assistant', content: 'Soup on Fridays.' },
          { role: 'user', content: `/naive ${REVENUE_QUESTION}` },
        ],
        stream: true,
      }))
        parts.push(part);
      expect(parts.filter((p) => p.message.content !== '').length).toBeGreaterThan(1);
      expect(parts.map((p) => p.message.content).join('')).toBe('According to the context, see [1].');
      expect(parts.at(-1)).toMatchObject({ done: true, eval_count: 9 });
      expect(JSON.stringify(llm.requests.at(-1)!.body.messages)).toContain('Soup on Fridays.');
    });
  });

  it("keeps to the caller's tenant and KBs, audits each question, and refuses images", async () => {
    const ollama = client(w.base, w.tenant, w.key);
    const ask = (model: string) => ollama.chat({ model, messages: [{ role: 'user', content: 'hi' }] });
    expect(await refusal(ask(`${w.other.kb.slug}:latest`))).toEqual({
      status: 404,
      message: 'The model does not exist or you do not have access to it',
    });
    expect(await refusal(ollama.show({ model: w.other.kb.id }))).toMatchObject({ status: 404 });
    expect(await refusal(client(w.base, w.tenant, w.other.admin).list())).toMatchObject({ status: 404 });
    const raw = await t.http
      .post(`/api/v1/tenants/${w.tenant.id}/ollama/api/chat`)
      .set(bearer(w.key))
      .send({
        model: w.handbook.slug,
        stream: false,
        messages: [{ role: 'user', content: 'hi', images: ['aGk='] }],
      })
      .expect(400);
    expect(raw.body).toEqual({
      error: expect.stringContaining('images are not supported'),
      code: 'VALIDATION_FAILED',
      request_id: expect.any(String),
    });

    const asked = await t.http
      .post(`/api/v1/tenants/${w.tenant.id}/ollama/api/chat`)
      .set(bearer(w.key))
      .send({
        model: w.handbook.slug,
        stream: false,
        messages: [{ role: 'user', content: REVENUE_QUESTION }],
      })
      .expect(200);
    const events = await t.app
      .get(DataSource)
      .query(`SELECT action, outcome, kb_id FROM audit_events WHERE request_id = $1`, [
        asked.headers['x-request-id'],
      ]);
    expect(events).toEqual([{ action: 'query.run', outcome: 'success', kb_id: w.handbook.id }]);
  });
});
