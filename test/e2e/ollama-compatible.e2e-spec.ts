import type { AddressInfo } from 'node:net';
import { Ollama } from 'ollama';
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
  uniqueSlug,
  waitForDocument,
} from '../factories';
import { POLICY_DOCUMENTS } from '../fixtures/policies';
import { OpenAiCompatibleServer } from '../support/openai-compatible-server';
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
  let base: string;
  let tenant: Tenant;
  let admin: string;
  let handbook: KnowledgeBase;
  let key: string;
  let other: { tenant: Tenant; admin: string; kb: KnowledgeBase };
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp();
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    const platform = await loginAdmin(t.http);
    tenant = await createTenant(t.http, platform);
    admin = (await addMember(t.http, platform, tenant, { role: 'admin' })).token;
    handbook = await createKnowledgeBase(t.http, admin, tenant, { slug: uniqueSlug('handbook') });
    for (const [name, text] of Object.entries(POLICY_DOCUMENTS)) {
      ids[name] = await addTextDocument(t.http, admin, tenant, handbook, text);
      await waitForDocument(t.http, admin, tenant, handbook, ids[name]);
    }
    key = (
      await t.http
        .post(`/api/v1/tenants/${tenant.id}/api-keys`)
        .set(bearer(admin))
        .send({ name: 'open webui', role: 'viewer' })
        .expect(201)
    ).body.key;
    const otherTenant = await createTenant(t.http, platform);
    const otherAdmin = (await addMember(t.http, platform, otherTenant, { role: 'admin' })).token;
    other = {
      tenant: otherTenant,
      admin: otherAdmin,
      kb: await createKnowledgeBase(t.http, otherAdmin, otherTenant, { slug: uniqueSlug('secrets') }),
    };
  }, 60_000);
  afterAll(() => t.close());

  it('says its version to anyone, and lists the KBs a key may query as models', async () => {
    expect(await client(base, tenant).version()).toEqual({
      version: expect.stringMatching(/^\d+\.\d+\.\d+$/),
    });
    // The same answer whether the tenant exists or not: the public probe tells nothing about tenants.
    expect(await client(base, { ...tenant, slug: 'no-such-tenant' }).version()).toEqual(
      await client(base, tenant).version(),
    );
    const { models } = await client(base, tenant, key).list();
    expect(models).toEqual([
      {
        name: `${handbook.slug}:latest`,
        model: `${handbook.slug}:latest`,
        modified_at: expect.any(String),
        size: 0,
        digest: expect.stringMatching(/^[0-9a-f]{64}$/),
        details: expect.objectContaining({ family: 'strata' }),
      },
    ]);
    const shown = await client(base, tenant, key).show({ model: `${handbook.slug}:latest` });
    expect(shown.capabilities).toEqual(['completion']);
    expect(await refusal(client(base, tenant).list())).toMatchObject({ status: 401 });
  });

  it('answers a chat from the KB, citing it, streamed by default and whole on request', async () => {
    const ollama = client(base, tenant, key);
    const whole = await ollama.chat({
      model: `${handbook.slug}:latest`,
      messages: [{ role: 'user', content: REVENUE_QUESTION }],
    });
    expect(whole.message).toEqual({
      role: 'assistant',
      content: expect.stringMatching(/nine percent.*\[1\]/),
    });
    expect(whole).toMatchObject({ model: `${handbook.slug}:latest`, done: true, done_reason: 'stop' });
    const strata = (whole as unknown as { strata: { references: Array<{ document_id: string }> } }).strata;
    expect(strata.references[0].document_id).toBe(ids.revenue);

    const parts = [];
    for await (const part of await ollama.chat({
      model: handbook.slug,
      messages: [{ role: 'user', content: REVENUE_QUESTION }],
      stream: true,
    }))
      parts.push(part);
    expect(parts.at(-1)).toMatchObject({ done: true, done_reason: 'stop', message: { content: '' } });
    expect(parts.slice(0, -1).every((p) => p.done === false)).toBe(true);
    expect(parts.map((p) => p.message.content).join('')).toBe(whole.message.content);

    // Ollama's own default is to stream: a request without `stream` gets NDJSON.
    const raw = await fetch(`${base}/api/v1/tenants/${tenant.id}/ollama/api/chat`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ model: handbook.slug, messages: [{ role: 'user', content: REVENUE_QUESTION }] }),
    });
    expect(raw.headers.get('content-type')).toContain('application/x-ndjson');
    const lines = (await raw.text())
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { done: boolean });
    expect(lines.at(-1)!.done).toBe(true);
  });

  it('generates from a prompt, loads on an empty one, and takes a /mode prefix', async () => {
    const ollama = client(base, tenant, key);
    const generated = await ollama.generate({ model: handbook.slug, prompt: `/naive ${REVENUE_QUESTION}` });
    expect(generated.response).toMatch(/nine percent/);
    expect((generated as unknown as { strata: { mode: string } }).strata.mode).toBe('naive');
    const pieces: string[] = [];
    for await (const part of await ollama.generate({
      model: handbook.slug,
      prompt: REVENUE_QUESTION,
      stream: true,
    }))
      pieces.push(part.response ?? '');
    expect(pieces.join('')).toMatch(/nine percent/);
    expect(await ollama.generate({ model: handbook.slug, prompt: '' })).toMatchObject({
      done: true,
      done_reason: 'load',
      response: '',
    });
  });

  it("streams the tenant's LLM as it writes, with the earlier turns as history", async () => {
    const llm = await OpenAiCompatibleServer.start();
    try {
      await t.http
        .patch(`/api/v1/tenants/${tenant.id}/config`)
        .set(bearer(admin))
        .send({ llm: { base_url: llm.url, model: 'test-chat', api_key: 'sk-tenant-llm' } })
        .expect(200);
      const parts = [];
      for await (const part of await client(base, tenant, key).chat({
        model: handbook.slug,
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
    } finally {
      await t.http
        .patch(`/api/v1/tenants/${tenant.id}/config`)
        .set(bearer(admin))
        .send({ llm: { base_url: null, model: null, api_key: null } })
        .expect(200);
      await llm.stop();
    }
  });

  it("keeps to the caller's tenant and KBs, audits each question, and refuses images", async () => {
    const ollama = client(base, tenant, key);
    const ask = (model: string) => ollama.chat({ model, messages: [{ role: 'user', content: 'hi' }] });
    expect(await refusal(ask(`${other.kb.slug}:latest`))).toEqual({
      status: 404,
      message: 'The model does not exist or you do not have access to it',
    });
    expect(await refusal(ollama.show({ model: other.kb.id }))).toMatchObject({ status: 404 });
    expect(await refusal(client(base, tenant, other.admin).list())).toMatchObject({ status: 404 });
    const raw = await t.http
      .post(`/api/v1/tenants/${tenant.id}/ollama/api/chat`)
      .set(bearer(key))
      .send({
        model: handbook.slug,
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
      .post(`/api/v1/tenants/${tenant.id}/ollama/api/chat`)
      .set(bearer(key))
      .send({ model: handbook.slug, stream: false, messages: [{ role: 'user', content: REVENUE_QUESTION }] })
      .expect(200);
    const events = await t.app
      .get(DataSource)
      .query(`SELECT action, outcome, kb_id FROM audit_events WHERE request_id = $1`, [
        asked.headers['x-request-id'],
      ]);
    expect(events).toEqual([{ action: 'query.run', outcome: 'success', kb_id: handbook.id }]);
  });
});
