import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { EmbeddingSpaceService } from '@strata/embeddings';
import { VectorStore } from '@strata/storage';
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
import { OpenAiCompatibleServer } from '../support/openai-compatible-server';
import { describeE2E, startTestApp, TestApp } from '../support/test-app';
import { until } from '../support/eventually';
import { testKbScope } from '../support/scopes';

describeE2E('ingestion with an embedding provider, and purges', () => {
  let t: TestApp;
  let platform: string;
  let provider: OpenAiCompatibleServer;

  beforeAll(async () => {
    provider = await OpenAiCompatibleServer.start({ dimension: 8 });
    t = await startTestApp({ EMBEDDING_MAX_RETRIES: '1' });
    platform = await loginAdmin(t.http);
  });
  afterAll(async () => {
    await t.close();
    await provider.stop();
  });

  async function tenantWithKb(): Promise<{ tenant: Tenant; admin: string; kb: KnowledgeBase }> {
    const tenant = await createTenant(t.http, platform);
    const admin = (await addMember(t.http, platform, tenant, { role: 'admin' })).token;
    return { tenant, admin, kb: await createKnowledgeBase(t.http, admin, tenant) };
  }

  const setEmbedding = (tenant: Tenant, admin: string, embedding: Record<string, unknown>) =>
    t.http.patch(`/api/v1/tenants/${tenant.id}/config`).set(bearer(admin)).send({ embedding }).expect(200);

  const scopeOf = (tenant: Tenant, kb: KnowledgeBase) => testKbScope(tenant.id, kb.id);

  const kbEmbedding = async (tenant: Tenant, admin: string, kb: KnowledgeBase) =>
    (await t.http.get(`/api/v1/tenants/${tenant.id}/knowledge-bases/${kb.id}`).set(bearer(admin)).expect(200))
      .body.config.embedding;

  it('uses the embedded lexical embedder by default and records it on the KB', async () => {
    const { tenant, admin, kb } = await tenantWithKb();
    const id = await addTextDocument(t.http, admin, tenant, kb, 'No model server is needed for this.');
    expect((await waitForDocument(t.http, admin, tenant, kb, id)).status).toBe('processed');
    expect(await kbEmbedding(tenant, admin, kb)).toEqual({ model: 'strata-lexical-v1', dimension: 1024 });
  });

  it("embeds through the tenant's provider; a KB keeps its model until its own model is changed, which re-embeds it", async () => {
    const { tenant, admin, kb } = await tenantWithKb();
    await setEmbedding(tenant, admin, {
      base_url: provider.url,
      model: 'test-embed',
      api_key: 'sk-tenant-embed',
    });
    const first = await addTextDocument(t.http, admin, tenant, kb, 'Embedded by the tenant provider.');
    expect((await waitForDocument(t.http, admin, tenant, kb, first)).status).toBe('processed');
    expect(await kbEmbedding(tenant, admin, kb)).toEqual({ model: 'test-embed', dimension: 8 });
    const call = provider.requests.find((r) =>
      JSON.stringify(r.body.input).includes('Embedded by the tenant provider'),
    );
    expect(call).toMatchObject({ path: '/v1/embeddings', authorization: 'Bearer sk-tenant-embed' });

    // The tenant's default changes: this KB keeps the model its vectors were made with.
    await setEmbedding(tenant, admin, { model: 'other-embed' });
    const second = await addTextDocument(t.http, admin, tenant, kb, 'Embedded after the default changed.');
    expect((await waitForDocument(t.http, admin, tenant, kb, second)).status).toBe('processed');
    const secondCall = provider.requests.find((r) =>
      JSON.stringify(r.body.input).includes('after the default changed'),
    );
    expect(secondCall?.body.model).toBe('test-embed');

    // Its own model changes: every document is embedded again with it.
    await t.http
      .patch(`/api/v1/tenants/${tenant.id}/knowledge-bases/${kb.id}`)
      .set(bearer(admin))
      .send({ config: { embedding: { model: 'kb-embed' } } })
      .expect(200);
    for (const id of [first, second]) {
      const doc = await waitForDocument(t.http, admin, tenant, kb, id, {
        until: (_s, body) => body.status === 'processed',
      });
      expect(doc.error).toBeNull();
    }
    expect(await kbEmbedding(tenant, admin, kb)).toEqual({ model: 'kb-embed', dimension: 8 });
    const reembedded = provider.requests.filter((r) => r.body.model === 'kb-embed');
    expect(reembedded.length).toBeGreaterThanOrEqual(2);
    expect(await t.app.get(VectorStore).count(scopeOf(tenant, kb), { kind: 'chunk' })).toBe(2);
  });

  it('fails a document clearly when its dimension changed under the same model, and a KB reindex rebuilds it', async () => {
    const { tenant, admin, kb } = await tenantWithKb();
    await setEmbedding(tenant, admin, { base_url: provider.url, model: 'test-embed' });
    const first = await addTextDocument(t.http, admin, tenant, kb, 'Eight dimensions at first.');
    await waitForDocument(t.http, admin, tenant, kb, first);
    const wider = await OpenAiCompatibleServer.start({ dimension: 12 });
    try {
      await setEmbedding(tenant, admin, { base_url: wider.url });
      const second = await addTextDocument(t.http, admin, tenant, kb, 'Twelve dimensions now.');
      const failed = await waitForDocument(t.http, admin, tenant, kb, second);
      expect(failed.status).toBe('failed');
      expect(failed.error).toMatch(
        /holds vectors of test-embed \(8 dimensions\).*\(12 dimensions\).*reindex/,
      );
      await t.http
        .post(`${documentsPath(tenant, kb)}/reindex`)
        .set(bearer(admin))
        .expect(202);
      for (const id of [first, second]) {
        const doc = await waitForDocument(t.http, admin, tenant, kb, id, {
          until: (_s, body) => body.status === 'processed',
        });
        expect(doc.error).toBeNull();
      }
      expect(await kbEmbedding(tenant, admin, kb)).toEqual({ model: 'test-embed', dimension: 12 });
    } finally {
      await wider.stop();
    }
  });

  it('fails a document clearly when its KB names a model and no endpoint serves it', async () => {
    const tenant = await createTenant(t.http, platform);
    const admin = (await addMember(t.http, platform, tenant, { role: 'admin' })).token;
    const res = await t.http
      .post(`/api/v1/tenants/${tenant.id}/knowledge-bases`)
      .set(bearer(admin))
      .send({ name: 'Needs a model', config: { embedding: { model: 'text-embedding-3-large' } } })
      .expect(201);
    const kb = res.body as KnowledgeBase;
    const id = await addTextDocument(t.http, admin, tenant, kb, 'No endpoint for this model.');
    const doc = await waitForDocument(t.http, admin, tenant, kb, id);
    expect(doc.status).toBe('failed');
    expect(doc.error).toMatch(/text-embedding-3-large needs an embedding endpoint/);
  });

  it('fails a document with a readable error when the provider keeps failing', async () => {
    const { tenant, admin, kb } = await tenantWithKb();
    await setEmbedding(tenant, admin, { base_url: provider.url, model: 'test-embed' });
    provider.play({ status: 503 }, { status: 503 });
    const id = await addTextDocument(t.http, admin, tenant, kb, 'The provider is down right now.');
    const doc = await waitForDocument(t.http, admin, tenant, kb, id);
    expect(doc.status).toBe('failed');
    expect(doc.error).toMatch(/embeddings answered 503.*gave up after 2 attempts/);
    expect(doc.error).not.toContain('sk-');
  });

  it("keeps a document searchable when its graph's embeddings fail, says why, and builds the next", async () => {
    const { tenant, admin, kb } = await tenantWithKb();
    await setEmbedding(tenant, admin, { base_url: provider.url, model: 'test-embed' });
    // The chunks are embedded; then the graph's entities and relations are not, while the merge
    // writes the graph (embedding runs beside those writes).
    provider.play({}, { status: 503 }, { status: 503 });
    const failing = await addTextDocument(
      t.http,
      admin,
      tenant,
      kb,
      'Ada Lovelace met Charles Babbage in London.',
    );
    const doc = await waitForDocument(t.http, admin, tenant, kb, failing);
    expect(doc).toMatchObject({ status: 'processed', graph_status: 'failed' });
    expect(JSON.stringify(doc.graph_error)).toMatch(/embeddings answered 503/);

    const next = await addTextDocument(t.http, admin, tenant, kb, 'Grace Hopper worked at Harvard.');
    expect(await waitForDocument(t.http, admin, tenant, kb, next)).toMatchObject({ graph_status: 'done' });
  });

  it('records one embedding space per KB even when many documents claim it at once', async () => {
    const { tenant, kb } = await tenantWithKb();
    const spaces = t.app.get(EmbeddingSpaceService);
    const scope = testKbScope(tenant.id, kb.id);
    const space = { model: 'race-model', dimension: 16 };
    await expect(Promise.all(Array.from({ length: 8 }, () => spaces.claim(scope, space)))).resolves.toEqual(
      Array.from({ length: 8 }, () => space),
    );
    await expect(spaces.claim(scope, { model: 'race-model', dimension: 32 })).rejects.toThrow(
      /holds vectors of race-model \(16 dimensions\)/,
    );
  });

  it('purges the vectors and blobs of a deleted KB, and of a deleted tenant', async () => {
    const { tenant, admin, kb } = await tenantWithKb();
    const other = await createKnowledgeBase(t.http, admin, tenant);
    for (const target of [kb, other]) {
      const id = await addTextDocument(
        t.http,
        admin,
        tenant,
        target,
        `Content of ${target.slug} to be purged.`,
      );
      await waitForDocument(t.http, admin, tenant, target, id);
    }
    const store = t.app.get(VectorStore);
    const scope = (kbId: string) => testKbScope(tenant.id, kbId);
    const blobDir = (kbId: string) => join(t.config.dataDir, 'blobs', tenant.id, kbId);
    const blobs = (kbId: string) => {
      try {
        return readdirSync(blobDir(kbId)).length;
      } catch {
        return 0;
      }
    };
    expect(await store.count(scope(kb.id))).toBeGreaterThan(0);
    expect(blobs(kb.id)).toBe(1);

    await t.http
      .delete(`/api/v1/tenants/${tenant.id}/knowledge-bases/${kb.id}`)
      .set(bearer(admin))
      .expect(204);
    await until(async () => (await store.count(scope(kb.id))) === 0 && blobs(kb.id) === 0);
    expect(await store.count(scope(other.id))).toBeGreaterThan(0);
    expect(blobs(other.id)).toBe(1);

    await t.http.delete(`/api/v1/tenants/${tenant.id}`).set(bearer(platform)).expect(204);
    // The purge row goes last, after the vectors and blobs, so wait for all of it.
    const sql = t.app.get(DataSource);
    const rowsLeft = async () => {
      const [{ n }] = await sql.query(
        `SELECT (SELECT count(*) FROM documents WHERE tenant_id = $1) + (SELECT count(*) FROM chunks WHERE tenant_id = $1)
           + (SELECT count(*) FROM purge_jobs WHERE tenant_id = $1) AS n`,
        [tenant.id],
      );
      return Number(n);
    };
    await until(
      async () =>
        (await store.count(scope(other.id))) === 0 && blobs(other.id) === 0 && (await rowsLeft()) === 0,
    );
    expect(await rowsLeft()).toBe(0);
  });
});
