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
import { OpenAiCompatibleServer } from '../support/openai-compatible-server';
import { describeE2E, startTestApp, TestApp } from '../support/test-app';

/**
 * Operations on a KB's documents beyond one at a time: the original, counts, failed ones again,
 * several deleted (by ids or a filter), the list searched and sorted, a document cancelled.
 */
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

  it('finds documents by words of their title and sorts them, page by page', async () => {
    // Titles with a word no other document of the KB has, so the search holds exactly these.
    const titles = [
      'Zephyrine alpha report',
      'zephyrine beta REPORT',
      'Zephyrine gamma memo',
      'zephyrine delta 100%',
    ];
    for (const title of titles)
      await addTextDocument(t.http, editor, tenant, kb, `Text of ${title}.`, { title });
    const list = async (query: string) =>
      (await t.http.get(`${path()}?q=zephyrine&${query}`).set(bearer(viewer)).expect(200)).body;
    const titlesOf = (body: { items: Array<{ title: string }> }) => body.items.map((d) => d.title);
    expect(titlesOf(await list('sort=title'))).toEqual([
      'Zephyrine alpha report',
      'zephyrine beta REPORT',
      'zephyrine delta 100%',
      'Zephyrine gamma memo',
    ]);
    const only = async (q: string) =>
      titlesOf(
        (
          await t.http
            .get(`${path()}?q=${encodeURIComponent(q)}`)
            .set(bearer(viewer))
            .expect(200)
        ).body,
      );
    expect(await only('zephyrine beta report')).toEqual(['zephyrine beta REPORT']);
    // % and _ are the words' own characters, not wildcards.
    expect(await only('delta 100%')).toEqual(['zephyrine delta 100%']);
    expect(await only('zephyrine_')).toEqual([]);
    expect(titlesOf(await list('sort=created_at&order=desc'))).toEqual([...titles].reverse());
    // Pages follow the order through their cursors.
    const seen: string[] = [];
    let cursor = '';
    do {
      const page = await list(`sort=title&order=desc&limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...titlesOf(page));
      cursor = page.next_cursor ?? '';
    } while (cursor);
    expect(seen).toEqual([
      'Zephyrine gamma memo',
      'zephyrine delta 100%',
      'zephyrine beta REPORT',
      'Zephyrine alpha report',
    ]);
    const bad = await t.http.get(`${path()}?sort=owner`).set(bearer(viewer)).expect(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
  });

  it('deletes the documents a filter matches, and only those', async () => {
    const batch = async (name: string) =>
      addTextDocument(t.http, editor, tenant, kb, `A ${name} note, ${Math.random()}.`, {
        metadata: { batch: name },
      });
    const doomed = [await batch('march'), await batch('march')];
    const kept = await batch('april');
    for (const id of [...doomed, kept]) await waitForDocument(t.http, admin, tenant, kb, id);
    const filter = { metadata: { batch: 'march' }, status: 'processed' };
    await t.http.post(`${path()}/delete`).set(bearer(viewer)).send({ filter }).expect(403);
    const both = await t.http
      .post(`${path()}/delete`)
      .set(bearer(editor))
      .send({ ids: [kept], filter })
      .expect(400);
    expect(both.body.code).toBe('VALIDATION_FAILED');
    await t.http.post(`${path()}/delete`).set(bearer(editor)).send({}).expect(400);
    const deleted = await t.http.post(`${path()}/delete`).set(bearer(editor)).send({ filter }).expect(202);
    expect({ ...deleted.body, deleting: deleted.body.deleting.sort() }).toEqual({
      deleting: [...doomed].sort(),
      more: false,
      deletion_id: expect.any(String),
    });
    const events = await t.app
      .get(DataSource)
      .query(
        `SELECT count(*)::int AS n FROM audit_events WHERE request_id = $1 AND action = 'document.delete'`,
        [deleted.headers['x-request-id']],
      );
    expect(events).toEqual([{ n: 2 }]);
    await until(
      async () => (await t.http.get(`${path()}/${doomed[0]}`).set(bearer(admin))).status === 404,
      30_000,
    );
    await t.http.get(`${path()}/${kept}`).set(bearer(admin)).expect(200);
    const none = await t.http.post(`${path()}/delete`).set(bearer(editor)).send({ filter }).expect(202);
    expect(none.body).toEqual({ deleting: [], more: false, deletion_id: null });
  });

  /** A tenant of its own, with an admin, that embeds at the given provider. */
  const tenantEmbeddingAt = async (provider: OpenAiCompatibleServer) => {
    const own = await createTenant(t.http, await loginAdmin(t.http));
    const ownAdmin = (await addMember(t.http, await loginAdmin(t.http), own, { role: 'admin' })).token;
    await t.http
      .patch(`/api/v1/tenants/${own.id}/config`)
      .set(bearer(ownAdmin))
      .send({ embedding: { base_url: provider.url, model: 'slow-embed' } })
      .expect(200);
    return { own, ownAdmin };
  };

  it("stops sending a cancelled document's chunks to the embedding provider", async () => {
    const provider = await OpenAiCompatibleServer.start();
    try {
      const { own, ownAdmin } = await tenantEmbeddingAt(provider);
      const ownKb = await createKnowledgeBase(t.http, ownAdmin, own, {
        config: { chunking: { chunk_size: 64, chunk_overlap: 0 } },
      });
      // About 300 chunks: five embedding calls of 64, each answered after 1.5 s.
      const SLICES = 5;
      provider.play(...Array.from({ length: SLICES }, () => ({ delayMs: 1_500 })));
      const text = Array.from({ length: 1_500 }, (_, i) => `Harbour note ${i} records a crossing.`).join(' ');
      const id = await addTextDocument(t.http, ownAdmin, own, ownKb, text);
      const embeddingCalls = () => provider.requests.filter((r) => r.path.endsWith('/embeddings')).length;
      await until(() => embeddingCalls() >= 1, 30_000);
      await t.http
        .post(`${documentsPath(own, ownKb)}/${id}/cancel`)
        .set(bearer(ownAdmin))
        .expect(200);
      // Every call would have been made by now; the job stops at the first slice after the cancel
      // (at most the one in flight and one more, before its heartbeat hears of it).
      await new Promise((resolve) => setTimeout(resolve, (SLICES + 1) * 1_500));
      expect(embeddingCalls()).toBeLessThanOrEqual(2);
      const after = await t.http
        .get(`${documentsPath(own, ownKb)}/${id}`)
        .set(bearer(ownAdmin))
        .expect(200);
      expect(after.body).toMatchObject({
        status: 'failed',
        chunk_count: 0,
        error: 'Cancelled before it was processed',
      });
    } finally {
      await provider.stop();
    }
  });

  it('cancels a document while it is processed: it ends failed and can be processed again', async () => {
    const provider = await OpenAiCompatibleServer.start();
    try {
      const { own, ownAdmin } = await tenantEmbeddingAt(provider);
      const ownKb = await createKnowledgeBase(t.http, ownAdmin, own);
      // The embedding provider holds its first answer: the document waits in processing.
      provider.play({ delayMs: 3_000 });
      const id = await addTextDocument(t.http, ownAdmin, own, ownKb, 'A note the provider is slow to embed.');
      await waitForDocument(t.http, ownAdmin, own, ownKb, id, {
        until: (status, body) => status === 200 && body.status === 'processing',
      });
      const docs = documentsPath(own, ownKb);
      const cancelled = await t.http.post(`${docs}/${id}/cancel`).set(bearer(ownAdmin)).expect(200);
      expect(cancelled.body).toMatchObject({ status: 'failed', error: 'Cancelled before it was processed' });
      // Past the provider's answer, the job that was working on it wrote nothing.
      await new Promise((resolve) => setTimeout(resolve, 3_500));
      const after = await t.http.get(`${docs}/${id}`).set(bearer(ownAdmin)).expect(200);
      expect(after.body).toMatchObject({ status: 'failed', chunk_count: 0 });
      const again = await t.http.post(`${docs}/${id}/cancel`).set(bearer(ownAdmin)).expect(409);
      expect(again.body.code).toBe('DOCUMENT_NOT_CANCELLABLE');
      await t.http.post(`${docs}/${id}/reindex`).set(bearer(ownAdmin)).expect(202);
      expect((await waitForDocument(t.http, ownAdmin, own, ownKb, id)).status).toBe('processed');
      const events = await t.app
        .get(DataSource)
        .query(`SELECT action, details FROM audit_events WHERE request_id = $1`, [
          cancelled.headers['x-request-id'],
        ]);
      expect(events).toEqual([
        { action: 'document.cancel', details: expect.objectContaining({ from: 'processing' }) },
      ]);
    } finally {
      await provider.stop();
    }
  });
});
