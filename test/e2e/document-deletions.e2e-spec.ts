import { DataSource } from 'typeorm';
import { DocumentDeletions } from '@strata/documents';
import { readKbGraphVersion } from '@strata/knowledge-bases';
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
import { GRAPH_CORPUS } from '../fixtures/graph-corpus';
import { until } from '../support/eventually';
import { testKbScope } from '../support/scopes';
import { describeE2E, startTestApp, TestApp } from '../support/test-app';

interface Receipt {
  status: 'deleting' | 'complete';
  document_ids: string[];
  completed_at: string | null;
  requested_by: { type: string; id: string };
  remains: Record<'documents' | 'chunks' | 'vectors' | 'graph_mentions' | 'blobs', number>;
}

const NOTHING_LEFT = { documents: 0, chunks: 0, vectors: 0, graph_mentions: 0, blobs: 0 };

/**
 * Verifiable deletion: every delete answers a receipt, and the receipt's route counts what each
 * store (rows, chunks, vectors, graph mentions, blobs) still holds of its documents until nothing.
 */
describeE2E('document deletion receipts', () => {
  let t: TestApp;
  let tenant: Tenant;
  let admin: string;
  let editor: { token: string; userId: string };
  let otherEditor: string;
  let viewer: string;
  let outsider: string;
  let kb: KnowledgeBase;
  const docs = () => documentsPath(tenant, kb);
  const receiptPath = (id: string, k = kb) =>
    `/api/v1/tenants/${tenant.id}/knowledge-bases/${k.id}/deletions/${id}`;
  const receipt = async (id: string, token = editor.token): Promise<Receipt> =>
    (await t.http.get(receiptPath(id)).set(bearer(token)).expect(200)).body;
  const completed = async (id: string): Promise<Receipt> => {
    await until(async () => (await receipt(id)).status === 'complete', 30_000);
    return receipt(id);
  };
  const settled = async (text: string, title: string) => {
    const id = await addTextDocument(t.http, editor.token, tenant, kb, text, { title });
    await waitForDocument(t.http, admin, tenant, kb, id);
    return id;
  };
  const graphVersion = async () =>
    Number(await readKbGraphVersion(t.app.get(DataSource), testKbScope(tenant.id, kb.id)));

  beforeAll(async () => {
    t = await startTestApp();
    const platform = await loginAdmin(t.http);
    tenant = await createTenant(t.http, platform);
    admin = (await addMember(t.http, platform, tenant, { role: 'admin' })).token;
    kb = await createKnowledgeBase(t.http, admin, tenant);
    editor = await addMember(t.http, admin, tenant, { role: 'editor' });
    otherEditor = (await addMember(t.http, admin, tenant, { role: 'editor' })).token;
    viewer = (await addMember(t.http, admin, tenant, { role: 'viewer' })).token;
    const elsewhere = await createTenant(t.http, platform);
    outsider = (await addMember(t.http, platform, elsewhere, { role: 'admin' })).token;
  }, 60_000);
  afterAll(() => t.close());

  it('counts what every store still holds of documents a receipt names', async () => {
    // A receipt recorded for a document nobody deleted: every store still holds all of it.
    const id = await settled(GRAPH_CORPUS.people.text, GRAPH_CORPUS.people.title);
    const doc = (await t.http.get(`${docs()}/${id}`).set(bearer(admin)).expect(200)).body;
    const principal = { type: 'user' as const, id: editor.userId } as Parameters<
      typeof DocumentDeletions.record
    >[3];
    const deletionId = await DocumentDeletions.record(
      t.app.get(DataSource),
      testKbScope(tenant.id, kb.id),
      [id],
      principal,
    );
    const held = await receipt(deletionId);
    expect(held.status).toBe('deleting');
    expect(held.remains).toMatchObject({
      documents: 1,
      chunks: doc.chunk_count,
      vectors: doc.chunk_count,
      blobs: 1,
    });
    expect(held.remains.graph_mentions).toBeGreaterThan(0);
    await t.http.delete(`${docs()}/${id}`).set(bearer(editor.token)).expect(202);
    expect((await completed(deletionId)).remains).toEqual(NOTHING_LEFT);
  });

  it('answers a delete with a receipt that reaches complete once every store let go', async () => {
    const id = await settled(GRAPH_CORPUS.places.text, GRAPH_CORPUS.places.title);
    const deleted = await t.http.delete(`${docs()}/${id}`).set(bearer(editor.token)).expect(202);
    expect(deleted.body).toMatchObject({ id, status: 'deleting', deletion_id: expect.any(String) });
    const done = await completed(deleted.body.deletion_id);
    expect(done).toMatchObject({
      status: 'complete',
      document_ids: [id],
      requested_by: { type: 'user', id: editor.userId },
      remains: NOTHING_LEFT,
    });
    expect(done.completed_at).not.toBeNull();
    await t.http.get(`${docs()}/${id}`).set(bearer(admin)).expect(404);
    // Deleting again (it is gone): 404, no receipt.
    await t.http.delete(`${docs()}/${id}`).set(bearer(editor.token)).expect(404);
  });

  it('removes a batch in one graph merge, and gives bulk and filter deletes a receipt', async () => {
    const one = await settled(GRAPH_CORPUS.people.text, 'People again');
    const before = await graphVersion();
    await t.http.delete(`${docs()}/${one}`).set(bearer(editor.token)).expect(202);
    await waitForDocument(t.http, admin, tenant, kb, one, { until: (status) => status === 404 });
    const perDeletion = (await graphVersion()) - before;
    expect(perDeletion).toBeGreaterThan(0);

    const batch = [
      await settled(GRAPH_CORPUS.people.text, 'People one'),
      await settled(`${GRAPH_CORPUS.places.text} Maria Lopez visited twice.`, 'Places one'),
      await settled(`${GRAPH_CORPUS.people.text} Daniel Lopez moved to Oslo.`, 'People two'),
    ];
    const start = await graphVersion();
    const bulk = await t.http
      .post(`${docs()}/delete`)
      .set(bearer(editor.token))
      .send({ ids: batch })
      .expect(202);
    expect(bulk.body).toMatchObject({ more: false, deletion_id: expect.any(String) });
    expect([...bulk.body.deleting].sort()).toEqual([...batch].sort());
    const done = await completed(bulk.body.deletion_id);
    expect([...done.document_ids].sort()).toEqual([...batch].sort());
    // Three documents went together: the graph changed as often as for one.
    expect((await graphVersion()) - start).toBe(perDeletion);

    await settled('Filter target: the quarterly fleet report.', 'Fleet report');
    const filtered = await t.http
      .post(`${docs()}/delete`)
      .set(bearer(editor.token))
      .send({ filter: { q: 'Fleet report' } })
      .expect(202);
    expect(filtered.body.deleting).toHaveLength(1);
    expect((await completed(filtered.body.deletion_id)).remains).toEqual(NOTHING_LEFT);
    const none = await t.http
      .post(`${docs()}/delete`)
      .set(bearer(editor.token))
      .send({ filter: { q: 'nothing matches this' } })
      .expect(202);
    expect(none.body).toEqual({ deleting: [], more: false, deletion_id: null });
  });

  it('shows a receipt to whoever asked and to tenant admins, and 404 to everyone else', async () => {
    const id = await addTextDocument(t.http, editor.token, tenant, kb, 'A note to delete soon.');
    const deleted = await t.http.delete(`${docs()}/${id}`).set(bearer(editor.token)).expect(202);
    const path = receiptPath(deleted.body.deletion_id);
    await t.http.get(path).set(bearer(admin)).expect(200);
    const other = await t.http.get(path).set(bearer(otherEditor)).expect(404);
    expect(other.body.code).toBe('DELETION_NOT_FOUND');
    await t.http.get(path).set(bearer(viewer)).expect(403);
    await t.http.get(path).set(bearer(outsider)).expect(404);
    const elsewhere = await createKnowledgeBase(t.http, admin, tenant);
    await t.http.get(receiptPath(deleted.body.deletion_id, elsewhere)).set(bearer(admin)).expect(404);
    await t.http.get(receiptPath('not-a-uuid')).set(bearer(admin)).expect(400);
    await t.http.get(receiptPath('00000000-0000-4000-8000-000000000000')).set(bearer(admin)).expect(404);
  });

  it('names the receipt in the audit trail of each deleted document', async () => {
    const id = await addTextDocument(t.http, editor.token, tenant, kb, 'An audited note.');
    const deleted = await t.http.delete(`${docs()}/${id}`).set(bearer(editor.token)).expect(202);
    const events = await t.http
      .get(`/api/v1/tenants/${tenant.id}/audit?action=document.delete`)
      .set(bearer(admin))
      .expect(200);
    const event = events.body.items.find((e: { resource_id: string }) => e.resource_id === id);
    expect(event.details).toMatchObject({ deletion_id: deleted.body.deletion_id });
  });
});
