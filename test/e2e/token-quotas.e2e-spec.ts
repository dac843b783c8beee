import { DataSource } from 'typeorm';
import {
  addMember,
  addTextDocument,
  bearer,
  createKnowledgeBase,
  createTenant,
  documentsPath,
  KnowledgeBase,
  loginAdmin,
  Tenant,
  waitForDocument,
} from '../factories';
import { POLICY_DOCUMENTS } from '../fixtures/policies';
import { OpenAiCompatibleServer } from '../support/openai-compatible-server';
import { describeE2E, startTestApp, TestApp } from '../support/test-app';

interface TokenRow {
  kb_id: string;
  purpose: string;
  model: string;
  tokens_in: number;
  tokens_out: number;
  cost: number | null;
}

/**
 * Tokens that cost money, counted where they are spent, and the daily quotas on them. The lease is
 * short so the recovery sweep (which brings waiting work back) runs every few seconds.
 */
describeE2E('token usage, cost and daily token quotas', () => {
  let t: TestApp;
  let provider: OpenAiCompatibleServer;
  let platform: string;
  let tenant: Tenant;
  let admin: string;
  let kb: KnowledgeBase;
  const queryPath = () => `/api/v1/tenants/${tenant.id}/knowledge-bases/${kb.id}/query`;
  const usage = async () =>
    (await t.http.get(`/api/v1/tenants/${tenant.id}/usage?days=2`).set(bearer(admin)).expect(200)).body;
  const setQuotas = (quotas: Record<string, number | null>) =>
    t.http.patch(`/api/v1/tenants/${tenant.id}`).set(bearer(platform)).send({ quotas }).expect(200);
  /** Moves the tenant's counters of today to a past day: what the end of the day does to the daily quotas. */
  let daysPassed = 0;
  const nextDay = () =>
    t.app
      .get(DataSource)
      .query(
        `UPDATE usage_daily SET day = current_date - $2::int WHERE tenant_id = $1 AND day = current_date`,
        [tenant.id, ++daysPassed],
      );

  beforeAll(async () => {
    t = await startTestApp({ INGESTION_LEASE_SECONDS: '5' });
    provider = await OpenAiCompatibleServer.start();
    platform = await loginAdmin(t.http);
    tenant = await createTenant(t.http, platform);
    admin = (await addMember(t.http, platform, tenant, { role: 'admin' })).token;
    await t.http
      .patch(`/api/v1/tenants/${tenant.id}/config`)
      .set(bearer(admin))
      .send({
        llm: { base_url: provider.url, model: 'test-chat', api_key: 'sk-tokens' },
        embedding: { base_url: provider.url, model: 'test-embed', api_key: 'sk-tokens' },
        prices: {
          currency: 'EUR',
          models: [
            { model: 'test-chat', input_per_million: 1, output_per_million: 2 },
            { model: 'test-embed', input_per_million: 0.5, output_per_million: 0 },
          ],
        },
      })
      .expect(200);
    kb = await createKnowledgeBase(t.http, admin, tenant, { config: { query: { default_mode: 'naive' } } });
    const doc = await addTextDocument(t.http, admin, tenant, kb, POLICY_DOCUMENTS.revenue);
    await waitForDocument(t.http, admin, tenant, kb, doc);
  });
  afterAll(async () => {
    await t.close();
    await provider.stop();
  });

  it('counts LLM and embedding tokens per KB, purpose and model, priced by the tenant’s table', async () => {
    const answered = await t.http
      .post(queryPath())
      .set(bearer(admin))
      .send({ query: 'By how much did quarterly revenue grow?' })
      .expect(200);
    expect(answered.body.answer_source).toBe('llm');
    const report = await usage();
    const rows = report.tokens as TokenRow[];
    const of = (purpose: string) => rows.find((r) => r.purpose === purpose && r.kb_id === kb.id);
    expect(of('embedding')).toMatchObject({ model: 'test-embed', tokens_out: 0 });
    expect(of('embedding')!.tokens_in).toBeGreaterThan(0);
    expect(of('extraction')).toMatchObject({ model: 'test-chat' });
    expect(of('answer')).toMatchObject({
      model: 'test-chat',
      tokens_in: answered.body.usage.llm_tokens_in,
      tokens_out: answered.body.usage.llm_tokens_out,
    });
    const answer = of('answer')!;
    expect(answer.cost).toBeCloseTo((answer.tokens_in * 1 + answer.tokens_out * 2) / 1e6, 6);
    expect(report.cost.currency).toBe('EUR');
    expect(report.cost.total).toBeCloseTo(
      rows.reduce((sum, r) => sum + (r.cost ?? 0), 0),
      5,
    );
    expect(report.cost.unpriced_models).toEqual([]);
    const today = report.daily[0];
    expect(today.embedding_tokens).toBe(
      rows.filter((r) => r.purpose === 'embedding').reduce((sum, r) => sum + r.tokens_in, 0),
    );
    expect(today.tokens_in + today.tokens_out).toBe(
      rows.filter((r) => r.purpose !== 'embedding').reduce((sum, r) => sum + r.tokens_in + r.tokens_out, 0),
    );
  });

  it('refuses questions that need the LLM once the day’s LLM tokens are used, for this tenant only', async () => {
    const today = (await usage()).daily[0];
    await setQuotas({ llm_tokens_per_day: today.tokens_in + today.tokens_out });
    const refused = await t.http.post(queryPath()).set(bearer(admin)).send({ query: 'revenue' }).expect(429);
    expect(refused.body.code).toBe('QUOTA_LLM_TOKENS_EXCEEDED');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(86_400);
    // The context alone calls no LLM (naive mode): it is still answered.
    const context = await t.http
      .post(queryPath())
      .set(bearer(admin))
      .send({ query: 'revenue', only_need_context: true })
      .expect(200);
    expect(context.body.references.length).toBeGreaterThan(0);

    const other = await createTenant(t.http, platform);
    const otherAdmin = (await addMember(t.http, platform, other, { role: 'admin' })).token;
    await t.http
      .patch(`/api/v1/tenants/${other.id}/config`)
      .set(bearer(otherAdmin))
      .send({ llm: { base_url: provider.url, model: 'test-chat', api_key: 'sk-other' } })
      .expect(200);
    const otherKb = await createKnowledgeBase(t.http, otherAdmin, other, {
      config: { query: { default_mode: 'naive' } },
    });
    const otherDoc = await addTextDocument(t.http, otherAdmin, other, otherKb, POLICY_DOCUMENTS.revenue);
    await waitForDocument(t.http, otherAdmin, other, otherKb, otherDoc);
    const elsewhere = await t.http
      .post(`/api/v1/tenants/${other.id}/knowledge-bases/${otherKb.id}/query`)
      .set(bearer(otherAdmin))
      .send({ query: 'revenue' })
      .expect(200);
    expect(elsewhere.body.answer_source).toBe('llm');
  });

  it('keeps a document searchable while its graph waits for the next day, and builds it then', async () => {
    // The LLM quota is still used up: the document is embedded, and its LLM extraction waits.
    const doc = await addTextDocument(t.http, admin, tenant, kb, POLICY_DOCUMENTS.cafeteria);
    const searchable = await waitForDocument(t.http, admin, tenant, kb, doc, {
      until: (status, body) => status === 200 && body.status === 'processed',
    });
    expect(searchable.graph_status).toBe('pending');
    // Several sweeps later it still waits, and is found meanwhile.
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    const waiting = await t.http
      .get(`${documentsPath(tenant, kb)}/${doc}`)
      .set(bearer(admin))
      .expect(200);
    expect(waiting.body.graph_status).toBe('pending');
    const found = await t.http
      .post(queryPath())
      .set(bearer(admin))
      .send({ query: 'cafeteria soup', only_need_context: true })
      .expect(200);
    expect(found.body.references.map((r: { document_id: string }) => r.document_id)).toContain(doc);

    await nextDay();
    const built = await waitForDocument(t.http, admin, tenant, kb, doc, { timeoutMs: 30_000 });
    expect(built.graph_status).toBe('done');
    await t.http.post(queryPath()).set(bearer(admin)).send({ query: 'cafeteria soup' }).expect(200);
  });

  it('keeps documents pending while the day’s embedding tokens are used, and ingests them the next day', async () => {
    await setQuotas({ llm_tokens_per_day: null });
    const today = (await usage()).daily[0];
    await setQuotas({ embedding_tokens_per_day: today?.embedding_tokens ?? 0 });
    const refused = await t.http.post(queryPath()).set(bearer(admin)).send({ query: 'revenue' }).expect(429);
    expect(refused.body.code).toBe('QUOTA_EMBEDDING_TOKENS_EXCEEDED');

    const doc = await addTextDocument(t.http, admin, tenant, kb, POLICY_DOCUMENTS.travel);
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    const waiting = await t.http
      .get(`${documentsPath(tenant, kb)}/${doc}`)
      .set(bearer(admin))
      .expect(200);
    expect(waiting.body.status).toBe('pending');

    await nextDay();
    const ingested = await waitForDocument(t.http, admin, tenant, kb, doc, { timeoutMs: 30_000 });
    expect(ingested.status).toBe('processed');
    // Its embedding (and its graph's) counted as the new day's.
    expect((await usage()).daily[0].embedding_tokens).toBeGreaterThan(0);
    await setQuotas({ embedding_tokens_per_day: null });
    await t.http.post(queryPath()).set(bearer(admin)).send({ query: 'flights' }).expect(200);
  });

  it('refuses quotas and prices that make no sense', async () => {
    const negative = await t.http
      .patch(`/api/v1/tenants/${tenant.id}`)
      .set(bearer(platform))
      .send({ quotas: { llm_tokens_per_day: -1 } })
      .expect(400);
    expect(negative.body.code).toBe('VALIDATION_FAILED');
    for (const prices of [
      { currency: 'euro' },
      { models: [{ model: 'x', input_per_million: -1, output_per_million: 0 }] },
      { models: [{ model: '', input_per_million: 1, output_per_million: 1 }] },
    ]) {
      const res = await t.http
        .patch(`/api/v1/tenants/${tenant.id}/config`)
        .set(bearer(admin))
        .send({ prices })
        .expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    }
    // Tenant admins do not set their own quotas.
    await t.http
      .patch(`/api/v1/tenants/${tenant.id}`)
      .set(bearer(admin))
      .send({ quotas: { llm_tokens_per_day: 10 } })
      .expect(403);
  });
});
