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
import { CORRUPT_PDF } from '../fixtures/documents';
import { until } from '../support/eventually';
import { describeE2E, startTestApp, TestApp } from '../support/test-app';

/** Operations on a KB's documents beyond one at a time: the original, counts, failed ones again, several deleted. */
describeE2E('document operations', () => {
  let t: TestApp;
  let tenant: Tenant;
  let admin: string;
  let editor: string;
  let viewer: string;
  let kb: KnowledgeBase;
  let outsider: string;
  const path = () => documentsPath(tenant, kb);
  /** GETs a download as raw bytes (supertest parses only the types it knows). */
  const download = (url: string, token: string) =>
    t.http
      .get(url)
      .set(bearer(token))
      .buffer(true)
      .parse((response, done) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => done(null, Buffer.concat(chunks)));
      });

  beforeAll(async () => {
    t = await startTestApp();
    const platform = await loginAdmin(t.http);
    tenant = await createTenant(t.http, platform);
    admin = (await addMember(t.http, platform, tenant, { role: 'admin' })).token;
    kb = await createKnowledgeBase(t.http, admin, tenant);
    editor = (await addMember(t.http, admin, tenant, { role: 'editor', knowledge_base_ids: [kb.id] })).token;
    viewer = (await addMember(t.http, admin, tenant, { role: 'viewer', knowledge_base_ids: [kb.id] })).token;
    const elsewhere = await createTenant(t.http, platform);
    outsider = (await addMember(t.http, platform, elsewhere, { role: 'admin' })).token;
  }, 60_000);
  afterAll(() => t.close());

  it('downloads the original under its file name and type, to whoever may read the document', async () => {
    const bytes = Buffer.from('name,team\nAda,research\n');
    const uploaded = await t.http
      .post(path())
      .set(bearer(editor))
      .attach('files', bytes, { filename: 'Plan — 2026.csv', contentType: 'text/csv' })
      .expect(202);
    const id = uploaded.body.documents[0].id as string;
    await waitForDocument(t.http, admin, tenant, kb, id);
    const res = await download(`${path()}/${id}/original`, viewer).expect(200);
    expect(Buffer.compare(res.body as Buffer, bytes)).toBe(0);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toContain("filename*=UTF-8''Plan%20%E2%80%94%202026.csv");

    const text = await addTextDocument(t.http, editor, tenant, kb, '# Leave\n\nTwenty-five days a year.');
    const markdown = await download(`${path()}/${text}/original`, viewer).expect(200);
    expect((markdown.body as Buffer).toString('utf8')).toBe('# Leave\n\nTwenty-five days a year.');
    expect(markdown.headers['content-type']).toMatch(/^text\/markdown/);
    expect(markdown.headers['content-disposition']).toBe('attachment; filename="Leave.md"');
    // The original is there from the upload on; waiting lets the next test count it as processed.
    await waitForDocument(t.http, admin, tenant, kb, text);

    await t.http
      .get(`${path()}/00000000-0000-4000-8000-000000000000/original`)
      .set(bearer(viewer))
      .expect(404);
    const foreign = await t.http.get(`${path()}/${id}/original`).set(bearer(outsider)).expect(404);
    expect(foreign.body.code).toBe('TENANT_NOT_FOUND');
  });

  it('counts documents per status, and processes the failed ones again', async () => {
    const broken = await t.http
      .post(path())
      .set(bearer(editor))
      .attach('files', CORRUPT_PDF, { filename: 'broken.pdf', contentType: 'application/pdf' })
      .expect(202);
    const brokenId = broken.body.documents[0].id as string;
    expect((await waitForDocument(t.http, admin, tenant, kb, brokenId)).status).toBe('failed');
    const counts = await t.http.get(`${path()}/status-counts`).set(bearer(viewer)).expect(200);
    expect(counts.body).toEqual({ pending: 0, processing: 0, processed: 2, failed: 1, all: 3 });

    await t.http.post(`${path()}/reindex-failed`).set(bearer(viewer)).expect(403);
    const again = await t.http.post(`${path()}/reindex-failed`).set(bearer(editor)).expect(202);
    expect(again.body).toEqual({ queued: 1 });
    expect((await waitForDocument(t.http, admin, tenant, kb, brokenId)).status).toBe('failed');
    const [event] = await t.app
      .get(DataSource)
      .query(
        `SELECT action, details FROM audit_events WHERE request_id = $1 AND action = 'knowledge_base.reindex'`,
        [again.headers['x-request-id']],
      );
    expect(event).toEqual({ action: 'knowledge_base.reindex', details: { documents: 1, failed_only: true } });
  });

  it('deletes several documents at once, all of them or none', async () => {
    const ids = [
      await addTextDocument(t.http, editor, tenant, kb, 'First note to delete.'),
      await addTextDocument(t.http, editor, tenant, kb, 'Second note to delete.'),
    ];
    for (const id of ids) await waitForDocument(t.http, admin, tenant, kb, id);
    const unknown = await t.http
      .post(`${path()}/delete`)
      .set(bearer(admin))
      .send({ ids: [ids[0], '00000000-0000-4000-8000-000000000000'] })
      .expect(404);
    expect(unknown.body.code).toBe('DOCUMENT_NOT_FOUND');
    await t.http
      .post(`${path()}/delete`)
      .set(bearer(admin))
      .send({ ids: ['not-a-uuid'] })
      .expect(400);
    await t.http.post(`${path()}/delete`).set(bearer(viewer)).send({ ids }).expect(403);
    await t.http.post(`${path()}/delete`).set(bearer(outsider)).send({ ids }).expect(404);

    const deleted = await t.http.post(`${path()}/delete`).set(bearer(admin)).send({ ids }).expect(202);
    expect(deleted.body.deleting.sort()).toEqual([...ids].sort());
    const events = await t.app
      .get(DataSource)
      .query(`SELECT action, resource_id FROM audit_events WHERE request_id = $1 ORDER BY resource_id`, [
        deleted.headers['x-request-id'],
      ]);
    expect(events).toEqual([...ids].sort().map((id) => ({ action: 'document.delete', resource_id: id })));
    await until(async () => {
      const statuses = await Promise.all(
        ids.map(async (id) => (await t.http.get(`${path()}/${id}`).set(bearer(admin))).status),
      );
      return statuses.every((status) => status === 404);
    }, 30_000);
  });
});
