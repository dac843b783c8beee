import { DataSource } from 'typeorm';
import { ChunkTextSearch, VectorStore } from '@strata/storage';
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
import { describeE2E, startTestApp, TestApp } from '../support/test-app';
import { testKbScope } from '../support/scopes';

/** Who may do what with documents, and what another tenant or KB sees of them: nothing. */
describeE2E('documents: policies and isolation', () => {
  let t: TestApp;
  let platform: string;
  let tenantA: Tenant;
  let tenantB: Tenant;
  let adminA: string;
  let adminB: string;
  let kbA1: KnowledgeBase;
  let kbA2: KnowledgeBase;
  let kbB1: KnowledgeBase;
  let docA1: string;

  beforeAll(async () => {
    t = await startTestApp();
    platform = await loginAdmin(t.http);
    tenantA = await createTenant(t.http, platform);
    tenantB = await createTenant(t.http, platform);
    adminA = (await addMember(t.http, platform, tenantA, { role: 'admin' })).token;
    adminB = (await addMember(t.http, platform, tenantB, { role: 'admin' })).token;
    kbA1 = await createKnowledgeBase(t.http, adminA, tenantA);
    kbA2 = await createKnowledgeBase(t.http, adminA, tenantA);
    kbB1 = await createKnowledgeBase(t.http, adminB, tenantB);
    docA1 = await addTextDocument(
      t.http,
      adminA,
      tenantA,
      kbA1,
      'The zeppelin hangar secret code is amber falcon.',
    );
    await waitForDocument(t.http, adminA, tenantA, kbA1, docA1);
  });
  afterAll(() => t.close());

  const docPath = (tenant: Tenant, kb: KnowledgeBase, id: string) => `${documentsPath(tenant, kb)}/${id}`;

  it("answers 404 for a document reached through another tenant's or another KB's path", async () => {
    const attempts = [
      // Tenant B's admin, through tenant A's path and through their own tenant's path.
      { token: adminB, path: docPath(tenantA, kbA1, docA1), code: 'TENANT_NOT_FOUND' },
      { token: adminB, path: docPath(tenantB, kbB1, docA1), code: 'DOCUMENT_NOT_FOUND' },
      // Tenant A's admin, through A's other KB.
      { token: adminA, path: docPath(tenantA, kbA2, docA1), code: 'DOCUMENT_NOT_FOUND' },
      // Mixing tenant B with tenant A's KB.
      { token: adminB, path: docPath(tenantB, kbA1, docA1), code: 'KB_NOT_FOUND' },
    ];
    for (const { token, path, code } of attempts) {
      for (const [method, suffix] of [
        ['get', ''],
        ['get', '/chunks'],
        ['post', '/reindex'],
        ['delete', ''],
      ] as const) {
        const res = await t.http[method](`${path}${suffix}`).set(bearer(token));
        expect({ method, path: `${path}${suffix}`, status: res.status, code: res.body.code }).toEqual({
          method,
          path: `${path}${suffix}`,
          status: 404,
          code,
        });
        expect(JSON.stringify(res.body)).not.toContain('zeppelin');
      }
    }
    const listB = await t.http.get(documentsPath(tenantB, kbB1)).set(bearer(adminB)).expect(200);
    expect(listB.body.items).toEqual([]);
    const listA2 = await t.http.get(documentsPath(tenantA, kbA2)).set(bearer(adminA)).expect(200);
    expect(listA2.body.items).toEqual([]);
    // The document survived every attempt.
    expect((await waitForDocument(t.http, adminA, tenantA, kbA1, docA1)).status).toBe('processed');
  });

  it("never lets a search scoped to tenant B or to A's other KB see A's vectors or full-text rows", async () => {
    const store = t.app.get(VectorStore);
    const scope = testKbScope;
    expect(await store.count(scope(tenantA.id, kbA1.id))).toBeGreaterThan(0);
    expect(await store.count(scope(tenantA.id, kbA2.id))).toBe(0);
    expect(await store.count(scope(tenantB.id, kbB1.id))).toBe(0);
    expect(await store.count(scope(tenantB.id, kbA1.id))).toBe(0);
    const fullText = (tenantId: string, kbId: string) =>
      t.app.get(ChunkTextSearch).search(scope(tenantId, kbId), 'zeppelin hangar', 10);
    expect(await fullText(tenantA.id, kbA1.id)).toHaveLength(1);
    expect(await fullText(tenantA.id, kbA2.id)).toHaveLength(0);
    expect(await fullText(tenantB.id, kbA1.id)).toHaveLength(0);
  });

  it('lets viewers read but not add, reindex or delete (403), and editors of one KB not see another (404)', async () => {
    const viewer = (
      await addMember(t.http, adminA, tenantA, { role: 'viewer', knowledge_base_ids: [kbA1.id] })
    ).token;
    await t.http
      .get(docPath(tenantA, kbA1, docA1))
      .set(bearer(viewer))
      .expect(200);
    await t.http
      .get(`${docPath(tenantA, kbA1, docA1)}/chunks`)
      .set(bearer(viewer))
      .expect(200);
    for (const res of [
      await t.http.post(documentsPath(tenantA, kbA1)).set(bearer(viewer)).send({ text: 'viewer text' }),
      await t.http.post(`${docPath(tenantA, kbA1, docA1)}/reindex`).set(bearer(viewer)),
      await t.http.post(`${documentsPath(tenantA, kbA1)}/reindex`).set(bearer(viewer)),
      await t.http.delete(docPath(tenantA, kbA1, docA1)).set(bearer(viewer)),
    ]) {
      expect(res.status).toBe(403);
    }
    const res = await t.http.get(docPath(tenantA, kbA2, docA1)).set(bearer(viewer));
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('KB_NOT_FOUND');

    const editor = (
      await addMember(t.http, adminA, tenantA, { role: 'editor', knowledge_base_ids: [kbA2.id] })
    ).token;
    const hidden = await t.http.get(documentsPath(tenantA, kbA1)).set(bearer(editor));
    expect(hidden.status).toBe(404);
    const own = await t.http
      .post(documentsPath(tenantA, kbA2))
      .set(bearer(editor))
      .send({ text: 'editor text' });
    expect(own.status).toBe(202);
  });

  it('needs delete_documents to delete, and an API key works like a member', async () => {
    const editor = (
      await addMember(t.http, adminA, tenantA, { role: 'editor', permissions: { delete_documents: false } })
    ).token;
    const refused = await t.http.delete(docPath(tenantA, kbA1, docA1)).set(bearer(editor));
    expect(refused.status).toBe(403);
    const key = await t.http
      .post(`/api/v1/tenants/${tenantA.id}/api-keys`)
      .set(bearer(adminA))
      .send({ name: 'ingest bot', role: 'editor', knowledge_base_ids: [kbA2.id] })
      .expect(201);
    const added = await t.http
      .post(documentsPath(tenantA, kbA2))
      .set('X-API-Key', key.body.key)
      .send({ text: 'Sent by an API key.' });
    expect(added.status).toBe(202);
    const elsewhere = await t.http.get(documentsPath(tenantA, kbA1)).set('X-API-Key', key.body.key);
    expect(elsewhere.status).toBe(404);
    // Let its ingestion (and its audit event) finish before the next test counts events.
    await waitForDocument(t.http, adminA, tenantA, kbA2, added.body.documents[0].id);
  });

  it('writes one audit event for each refused document request', async () => {
    const viewer = (await addMember(t.http, adminA, tenantA, { role: 'viewer' })).token;
    const before = await auditCount(tenantA.id);
    await t.http
      .delete(docPath(tenantA, kbA1, docA1))
      .set(bearer(viewer))
      .expect(403);
    await t.http
      .get(docPath(tenantA, kbA2, docA1))
      .set(bearer(viewer))
      .expect(404);
    const rows = await t.app
      .get(DataSource)
      .query(`SELECT action, outcome FROM audit_events WHERE tenant_id = $1 ORDER BY seq DESC LIMIT 2`, [
        tenantA.id,
      ]);
    expect(await auditCount(tenantA.id)).toBe(before + 2);
    expect(rows.reverse()).toEqual([
      { action: 'document.delete', outcome: 'denied' },
      { action: 'document.read', outcome: 'denied' },
    ]);
  });

  async function auditCount(tenantId: string): Promise<number> {
    const [row] = await t.app
      .get(DataSource)
      .query('SELECT count(*)::int AS n FROM audit_events WHERE tenant_id = $1', [tenantId]);
    return row.n;
  }
});
