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
import { parseEventStream, rawText } from '../support/sse';
import { describeE2E, startTestApp, TestApp } from '../support/test-app';

const NAIVE = { config: { query: { default_mode: 'naive' } } };

/** Each KB holds a fact the others do not, about one subject (the harbour), so one question finds all. */
const HARBOUR = {
  finance:
    '# Harbour budget\n\nThe harbour budget of Port Elgin grew by nine percent to pay for the new cranes.',
  operations: '# Harbour operations\n\nThe harbour of Port Elgin opens at six and closes its gates at ten.',
  secret: '# Harbour security\n\nThe harbour vault code is kept by the night watchman.',
};

describeE2E('questions across knowledge bases', () => {
  let t: TestApp;
  let platform: string;
  let tenant: Tenant;
  let admin: string;
  let finance: KnowledgeBase;
  let operations: KnowledgeBase;
  let secret: KnowledgeBase;
  let viewer: string;
  const docs: Record<string, string> = {};
  const askPath = (tn: Tenant) => `/api/v1/tenants/${tn.id}/query`;

  beforeAll(async () => {
    t = await startTestApp();
    platform = await loginAdmin(t.http);
    tenant = await createTenant(t.http, platform);
    admin = (await addMember(t.http, platform, tenant, { role: 'admin' })).token;
    finance = await createKnowledgeBase(t.http, admin, tenant, NAIVE);
    operations = await createKnowledgeBase(t.http, admin, tenant, NAIVE);
    secret = await createKnowledgeBase(t.http, admin, tenant, NAIVE);
    for (const [name, kb] of [
      ['finance', finance],
      ['operations', operations],
      ['secret', secret],
    ] as const) {
      docs[name] = await addTextDocument(t.http, admin, tenant, kb, HARBOUR[name]);
      await waitForDocument(t.http, admin, tenant, kb, docs[name]);
    }
    viewer = (
      await addMember(t.http, admin, tenant, {
        role: 'viewer',
        knowledge_base_ids: [finance.id, operations.id],
      })
    ).token;
  });
  afterAll(() => t.close());

  const kbOf = (body: { references: Array<{ knowledge_base_id: string; document_id: string }> }) =>
    Object.fromEntries(body.references.map((r) => [r.document_id, r.knowledge_base_id]));

  it('finds in every KB named, one ranking whose references name their KB', async () => {
    const res = await t.http
      .post(askPath(tenant))
      .set(bearer(viewer))
      .send({
        query: 'When does the harbour open, and how much did its budget grow?',
        knowledge_base_ids: [finance.slug, operations.id],
      })
      .expect(200);
    expect(kbOf(res.body)).toEqual({ [docs.finance]: finance.id, [docs.operations]: operations.id });
    expect(res.body.references.map((r: { id: number }) => r.id)).toEqual([1, 2]);
    expect(res.body.answer).toMatch(/\[1\]/);
    expect(res.body.answer).toMatch(/\[2\]/);
  });

  it('ranks the KBs as one collection: the chunk holding more of the question first, whatever its KB', async () => {
    // Only the operations KB's chunk speaks of the gates; both speak of the harbour. Named second,
    // the operations KB still gives the first reference.
    const res = await t.http
      .post(askPath(tenant))
      .set(bearer(admin))
      .send({
        query: 'harbour gates',
        knowledge_base_ids: [finance.id, operations.id],
        only_need_context: true,
      })
      .expect(200);
    expect(res.body.references.map((r: { document_id: string }) => r.document_id)).toEqual([
      docs.operations,
      docs.finance,
    ]);
    expect(res.body.references[0].score).toBeGreaterThan(res.body.references[1].score);
    const single = await t.http
      .post(`/api/v1/tenants/${tenant.id}/knowledge-bases/${operations.id}/query`)
      .set(bearer(admin))
      .send({ query: 'harbour gates' })
      .expect(200);
    expect(kbOf(single.body)).toEqual({ [docs.operations]: operations.id });
  });

  it('answers 404 for a KB the caller is not assigned to, in another tenant, or missing', async () => {
    const other = await createTenant(t.http, platform);
    const otherAdmin = (await addMember(t.http, platform, other, { role: 'admin' })).token;
    const foreign = await createKnowledgeBase(t.http, otherAdmin, other, NAIVE);
    for (const kb of [
      secret.id,
      secret.slug,
      foreign.id,
      foreign.slug,
      '00000000-0000-4000-8000-000000000000',
      'NOT a slug',
    ]) {
      const res = await t.http
        .post(askPath(tenant))
        .set(bearer(viewer))
        .send({ query: 'harbour vault code', knowledge_base_ids: [finance.id, kb] })
        .expect(404);
      expect(res.body.code).toBe('KB_NOT_FOUND');
      expect(JSON.stringify(res.body)).not.toContain('watchman');
    }
    // The other tenant's admin cannot reach this tenant's KBs through their own tenant either.
    await t.http
      .post(askPath(other))
      .set(bearer(otherAdmin))
      .send({ query: 'harbour', knowledge_base_ids: [finance.id] })
      .expect(404);
  });

  it('refuses an empty or oversized KB list, and callers without run_queries', async () => {
    const empty = await t.http
      .post(askPath(tenant))
      .set(bearer(admin))
      .send({ query: 'harbour', knowledge_base_ids: [] })
      .expect(400);
    expect(empty.body.code).toBe('VALIDATION_FAILED');
    await t.http
      .post(askPath(tenant))
      .set(bearer(admin))
      .send({ query: 'harbour', knowledge_base_ids: Array.from({ length: 21 }, () => finance.id) })
      .expect(400);
    const mute = (
      await addMember(t.http, admin, tenant, { role: 'viewer', permissions: { run_queries: false } })
    ).token;
    await t.http
      .post(askPath(tenant))
      .set(bearer(mute))
      .send({ query: 'harbour', knowledge_base_ids: [finance.id] })
      .expect(403);
    // A platform admin who is not a member reads no tenant content.
    await t.http
      .post(askPath(tenant))
      .set(bearer(platform))
      .send({ query: 'harbour', knowledge_base_ids: [finance.id] })
      .expect(403);
  });

  it('streams across KBs, and audits one query naming its KBs', async () => {
    const res = await t.http
      .post(askPath(tenant))
      .set(bearer(admin))
      .send({ query: 'harbour budget', knowledge_base_ids: [finance.id, operations.id], stream: true })
      .buffer(true)
      .parse(rawText)
      .expect(200);
    const events = parseEventStream(res.body as string);
    expect(events[0].event).toBe('references');
    expect(events.at(-1)!.event).toBe('done');
    const rows: Array<{ kb_id: string | null; resource_type: string; details: Record<string, unknown> }> =
      await t.app.get(DataSource).query(
        `SELECT kb_id, resource_type, details FROM audit_events
           WHERE tenant_id = $1 AND action = 'query.run' ORDER BY seq DESC LIMIT 1`,
        [tenant.id],
      );
    expect(rows[0]).toMatchObject({
      kb_id: null,
      resource_type: 'tenant',
      details: { knowledge_base_ids: [finance.id, operations.id], streamed: true },
    });
  });

  it('asks several KBs through the chat APIs, the model naming them joined by +', async () => {
    const openAi = await t.http
      .post(`/api/v1/tenants/${tenant.id}/openai/v1/chat/completions`)
      .set(bearer(viewer))
      .send({
        model: `${finance.slug}+${operations.slug}`,
        messages: [
          { role: 'user', content: '/naive When does the harbour open, and how much did its budget grow?' },
        ],
      })
      .expect(200);
    expect(
      new Set(openAi.body.strata.references.map((r: { knowledge_base_id: string }) => r.knowledge_base_id)),
    ).toEqual(new Set([finance.id, operations.id]));
    const ollama = await t.http
      .post(`/api/v1/tenants/${tenant.id}/ollama/api/chat`)
      .set(bearer(viewer))
      .send({
        model: `${finance.slug}+${operations.slug}:latest`,
        stream: false,
        messages: [{ role: 'user', content: '/naive harbour budget and gates' }],
      })
      .expect(200);
    expect(ollama.body.strata.references.length).toBeGreaterThan(0);
    // A KB the caller cannot see in the set answers 404, as the model of one KB does.
    const hidden = await t.http
      .post(`/api/v1/tenants/${tenant.id}/openai/v1/chat/completions`)
      .set(bearer(viewer))
      .send({ model: `${finance.slug}+${secret.slug}`, messages: [{ role: 'user', content: 'vault code' }] })
      .expect(404);
    expect(JSON.stringify(hidden.body)).not.toContain('watchman');
  });

  it('walks each KB’s graph in graph modes', async () => {
    const res = await t.http
      .post(askPath(tenant))
      .set(bearer(admin))
      .send({
        query: 'What do we know about Port Elgin?',
        mode: 'local',
        knowledge_base_ids: [finance.id, operations.id],
      })
      .expect(200);
    expect(res.body.mode).toBe('local');
    // The entity is in both graphs, each described from its own KB's documents.
    const elgin = res.body.entities.filter((e: { name: string }) => e.name === 'Port Elgin');
    expect(elgin).toHaveLength(2);
    expect(new Set(Object.values(kbOf(res.body)))).toEqual(new Set([finance.id, operations.id]));
  });
});
