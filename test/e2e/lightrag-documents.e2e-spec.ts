import { DataSource } from 'typeorm';
import {
  addMember,
  bearer,
  createKnowledgeBase,
  createTenant,
  KnowledgeBase,
  loginAdmin,
  Tenant,
  uniqueSlug,
  waitForDocument,
} from '../factories';
import { CORRUPT_PDF } from '../fixtures/documents';
import { until } from '../support/eventually';
import { describeE2E, startTestApp, TestApp } from '../support/test-app';

const TRACK_ID = /^(insert|upload|reprocess)_\d{8}_\d{6}_[0-9a-f]{8}$/;
const LIGHTRAG_ERROR = {
  detail: expect.any(String),
  code: expect.any(String),
  request_id: expect.any(String),
};

/** LightRAG's document routes over a KB, driven with the requests a LightRAG client sends. */
describeE2E('LightRAG-compatible document routes', () => {
  let t: TestApp;
  let tenant: Tenant;
  let admin: string;
  let kb: KnowledgeBase;
  let editorKey: string;
  let viewerKey: string;
  let other: { tenant: Tenant; admin: string; kb: KnowledgeBase };
  const base = (k: KnowledgeBase = kb, owner: Tenant = tenant) =>
    `/api/v1/tenants/${owner.id}/knowledge-bases/${k.slug}/lightrag/documents`;
  /** LightRAG's own header for its API key. */
  const as = (key: string) => ({ 'X-API-Key': key });

  const apiKey = async (role: string) =>
    (
      await t.http
        .post(`/api/v1/tenants/${tenant.id}/api-keys`)
        .set(bearer(admin))
        .send({ name: `lightrag ${role}`, role })
        .expect(201)
    ).body.key as string;

  /** Polls a track until every document in it has left pending and processing; answers the last status. */
  const settledTrack = async (trackId: string, k: KnowledgeBase = kb) => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a response body, read field by field
    let track: Record<string, any> = {};
    await until(async () => {
      const res = await t.http
        .get(`${base(k)}/track_status/${trackId}`)
        .set(as(viewerKey))
        .expect(200);
      track = res.body;
      const open = (track.status_summary.pending ?? 0) + (track.status_summary.processing ?? 0);
      return track.total_count > 0 && open === 0;
    }, 30_000);
    return track;
  };

  beforeAll(async () => {
    t = await startTestApp();
    const platform = await loginAdmin(t.http);
    tenant = await createTenant(t.http, platform);
    admin = (await addMember(t.http, platform, tenant, { role: 'admin' })).token;
    kb = await createKnowledgeBase(t.http, admin, tenant, { slug: uniqueSlug('lightrag-docs') });
    editorKey = await apiKey('editor');
    viewerKey = await apiKey('viewer');
    const otherTenant = await createTenant(t.http, platform);
    const otherAdmin = (await addMember(t.http, platform, otherTenant, { role: 'admin' })).token;
    other = {
      tenant: otherTenant,
      admin: otherAdmin,
      kb: await createKnowledgeBase(t.http, otherAdmin, otherTenant, { slug: uniqueSlug('other') }),
    };
  }, 60_000);
  afterAll(() => t.close());

  it('adds a text as LightRAG does and follows it by its track id until processed', async () => {
    const text = 'Remote work: employees may work from home two days a week with their manager’s consent.';
    const res = await t.http
      .post(`${base()}/text`)
      .set(as(editorKey))
      .send({ text: `  ${text}  `, file_source: 'remote-work.txt' })
      .expect(200);
    expect(res.body).toEqual({
      status: 'success',
      message: '1 document received. Processing will continue in background.',
      track_id: expect.stringMatching(TRACK_ID),
      strata: { documents: [expect.objectContaining({ title: 'remote-work.txt', duplicate: false })] },
    });
    const track = await settledTrack(res.body.track_id);
    expect(track).toEqual({
      track_id: res.body.track_id,
      total_count: 1,
      status_summary: { processed: 1 },
      documents: [
        {
          id: res.body.strata.documents[0].id,
          content_summary: text.slice(0, 100),
          content_length: Buffer.byteLength(text),
          status: 'processed',
          created_at: expect.any(String),
          updated_at: expect.any(String),
          track_id: res.body.track_id,
          chunks_count: 1,
          error_msg: null,
          metadata: {},
          file_path: 'remote-work.txt',
        },
      ],
    });

    const again = await t.http.post(`${base()}/text`).set(as(editorKey)).send({ text }).expect(200);
    expect(again.body).toMatchObject({ status: 'duplicated', track_id: '' });
    expect(again.body.message).toContain("'remote-work.txt', status processed");
  });

  it('adds several texts under one track, and says which were already there', async () => {
    const res = await t.http
      .post(`${base()}/texts`)
      .set(as(editorKey))
      .send({
        texts: [
          'Expenses are reimbursed within 30 days of a receipt.',
          'Laptops are replaced every four years.',
        ],
        file_sources: ['expenses.txt'],
      })
      .expect(200);
    expect(res.body.status).toBe('success');
    const track = await settledTrack(res.body.track_id);
    expect(track.total_count).toBe(2);
    expect(track.documents.map((d: { file_path: string }) => d.file_path).sort()).toEqual([
      'Laptops are replaced every four years.',
      'expenses.txt',
    ]);

    const mixed = await t.http
      .post(`${base()}/texts`)
      .set(as(editorKey))
      .send({ texts: ['Laptops are replaced every four years.', 'Parking is free for cyclists.'] })
      .expect(200);
    expect(mixed.body).toMatchObject({
      status: 'partial_success',
      track_id: expect.stringMatching(TRACK_ID),
    });
    await settledTrack(mixed.body.track_id);
  });

  it('uploads a file sent in the form field "file", and refuses a form without it', async () => {
    const res = await t.http
      .post(`${base()}/upload`)
      .set(as(editorKey))
      .attach(
        'file',
        Buffer.from('# Holidays\n\nThe office closes between Christmas and New Year.'),
        'holidays.md',
      )
      .expect(200);
    expect(res.body).toMatchObject({ status: 'success', track_id: expect.stringMatching(/^upload_/) });
    const track = await settledTrack(res.body.track_id);
    expect(track.documents[0]).toMatchObject({ file_path: 'holidays.md', status: 'processed' });

    const wrongField = await t.http
      .post(`${base()}/upload`)
      .set(as(editorKey))
      .attach('files', Buffer.from('text'), 'a.txt')
      .expect(400);
    expect(wrongField.body).toEqual({ ...LIGHTRAG_ERROR, code: 'VALIDATION_FAILED' });
    expect(wrongField.body.detail).toBe('Files must be sent in the form field "file", not "files"');
    const json = await t.http.post(`${base()}/upload`).set(as(editorKey)).send({ text: 'x' }).expect(415);
    expect(json.body).toEqual({ ...LIGHTRAG_ERROR, code: 'UNSUPPORTED_MEDIA_TYPE' });
  });

  it('lists documents in numbered pages with the counts per status, and grouped by status', async () => {
    const page = await t.http
      .post(`${base()}/paginated`)
      .set(as(viewerKey))
      .send({ page: 1, page_size: 10, sort_field: 'file_path', sort_direction: 'asc' })
      .expect(200);
    const titles = page.body.documents.map((d: { file_path: string }) => d.file_path);
    expect(titles).toEqual([...titles].sort((a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(titles).toEqual(expect.arrayContaining(['expenses.txt', 'holidays.md', 'remote-work.txt']));
    expect(page.body.pagination).toEqual({
      page: 1,
      page_size: 10,
      total_count: titles.length,
      total_pages: 1,
      has_next: false,
      has_prev: false,
    });
    expect(page.body.status_counts).toEqual({
      pending: 0,
      processing: 0,
      processed: titles.length,
      failed: 0,
      all: titles.length,
    });

    const second = await t.http
      .post(`${base()}/paginated`)
      .set(as(viewerKey))
      .send({ page: 2, page_size: 10, status_filter: 'processed' })
      .expect(200);
    expect(second.body.documents).toEqual([]);
    expect(second.body.pagination).toMatchObject({
      page: 2,
      total_pages: 1,
      has_prev: true,
      has_next: false,
    });
    const none = await t.http
      .post(`${base()}/paginated`)
      .set(as(viewerKey))
      .send({ status_filter: 'failed' })
      .expect(200);
    expect(none.body.pagination.total_count).toBe(0);
    for (const bad of [{ page_size: 5 }, { page: 0 }, { sort_field: 'title' }, { status_filter: 'done' }]) {
      const res = await t.http.post(`${base()}/paginated`).set(as(viewerKey)).send(bad).expect(400);
      expect(res.body).toEqual({ ...LIGHTRAG_ERROR, code: 'VALIDATION_FAILED' });
    }

    const grouped = await t.http.get(base()).set(as(viewerKey)).expect(200);
    expect(Object.keys(grouped.body.statuses)).toEqual(['processed']);
    expect(grouped.body.statuses.processed).toHaveLength(titles.length);
    const counts = await t.http.get(`${base()}/status_counts`).set(as(viewerKey)).expect(200);
    expect(counts.body).toEqual({ status_counts: page.body.status_counts });
    // Processed documents are searchable; the pipeline is busy until their graph stages are built too.
    let pipeline: Record<string, unknown> = {};
    await until(async () => {
      pipeline = (await t.http.get(`${base()}/pipeline_status`).set(as(viewerKey)).expect(200)).body;
      return pipeline.busy === false;
    }, 30_000);
    expect(pipeline).toMatchObject({ busy: false, docs: 0, latest_message: 'All documents are processed' });
  });

  it('processes failed documents again under a new track', async () => {
    const broken = await t.http
      .post(`${base()}/upload`)
      .set(as(editorKey))
      .attach('file', CORRUPT_PDF, { filename: 'broken.pdf', contentType: 'application/pdf' })
      .expect(200);
    const first = await settledTrack(broken.body.track_id);
    expect(first.documents[0]).toMatchObject({
      status: 'failed',
      error_msg: expect.any(String),
      chunks_count: null,
    });

    const retry = await t.http.post(`${base()}/reprocess_failed`).set(as(editorKey)).expect(200);
    expect(retry.body).toEqual({
      status: 'reprocessing_started',
      message: '1 failed document will be processed again in the background.',
      track_id: expect.stringMatching(/^reprocess_/),
    });
    const again = await settledTrack(retry.body.track_id);
    expect(again.documents.map((d: { id: string }) => d.id)).toEqual([first.documents[0].id]);
    // The ingest job's own events carry the request id that queued it; the request made one.
    const events = await t.app
      .get(DataSource)
      .query(
        `SELECT action, details FROM audit_events WHERE request_id = $1 AND action NOT LIKE 'document.%'`,
        [retry.headers['x-request-id']],
      );
    expect(events).toEqual([
      {
        action: 'knowledge_base.reindex',
        details: { documents: 1, failed_only: true, track_id: retry.body.track_id },
      },
    ]);
    await t.http.post(`${base()}/reprocess_failed`).set(as(viewerKey)).expect(403);
  });

  it('deletes documents by id, all or none, and clears a KB', async () => {
    const scratch = await createKnowledgeBase(t.http, admin, tenant, { slug: uniqueSlug('scratch') });
    const added = await t.http
      .post(`${base(scratch)}/texts`)
      .set(as(editorKey))
      .send({ texts: ['First scratch note.', 'Second scratch note.', 'Third scratch note.'] })
      .expect(200);
    const ids = (added.body.strata.documents as Array<{ id: string }>).map((d) => d.id);
    await settledTrack(added.body.track_id, scratch);

    const unknown = await t.http
      .delete(`${base(scratch)}/delete_document`)
      .set(as(editorKey))
      .send({ doc_ids: [ids[0], 'doc-not-a-strata-id'] })
      .expect(404);
    expect(unknown.body).toEqual({ ...LIGHTRAG_ERROR, code: 'DOCUMENT_NOT_FOUND' });
    await t.http
      .delete(`${base(scratch)}/delete_document`)
      .set(as(editorKey))
      .send({ doc_ids: [ids[0], ids[0]] })
      .expect(400);
    await t.http
      .delete(`${base(scratch)}/delete_document`)
      .set(as(viewerKey))
      .send({ doc_ids: [ids[0]] })
      .expect(403);

    const deleted = await t.http
      .delete(`${base(scratch)}/delete_document`)
      .set(as(editorKey))
      .send({ doc_ids: [ids[0]], delete_file: true })
      .expect(200);
    expect(deleted.body).toEqual({
      status: 'deletion_started',
      message: 'Deletion of 1 document started (1 newly); it continues in the background.',
      doc_id: ids[0],
    });
    const counts = async () =>
      (
        await t.http
          .get(`${base(scratch)}/status_counts`)
          .set(as(viewerKey))
          .expect(200)
      ).body.status_counts;
    expect((await counts()).all).toBe(2);

    const cleared = await t.http.delete(base(scratch)).set(as(editorKey)).expect(200);
    expect(cleared.body).toEqual({
      status: 'success',
      message: 'Deletion of 2 documents started; it continues in the background.',
    });
    expect((await counts()).all).toBe(0);
    await until(async () => {
      const rows = await t.app
        .get(DataSource)
        .query('SELECT count(*)::int AS n FROM documents WHERE kb_id = $1', [scratch.id]);
      return rows[0].n === 0;
    });
    const events = await t.app
      .get(DataSource)
      .query(`SELECT action, details FROM audit_events WHERE request_id = $1`, [
        cleared.headers['x-request-id'],
      ]);
    expect(events).toEqual([
      { action: 'knowledge_base.clear', details: { documents: 2, deletion_id: expect.any(String) } },
    ]);
  });

  it("keeps to the caller's tenant: another tenant's KB is 404 on every route, and a viewer cannot add", async () => {
    const foreign = base(other.kb, other.tenant);
    const routes: Array<[string, string, object?]> = [
      ['post', '/text', { text: 'x' }],
      ['post', '/texts', { texts: ['x'] }],
      ['post', '/paginated', {}],
      ['get', ''],
      ['get', '/status_counts'],
      ['get', '/pipeline_status'],
      ['get', '/track_status/insert_20260101_000000_00000000'],
      ['delete', '/delete_document', { doc_ids: ['x'] }],
      ['delete', ''],
      ['post', '/reprocess_failed'],
    ];
    for (const [method, suffix, body] of routes) {
      const call = (t.http as unknown as Record<string, (url: string) => import('supertest').Test>)
        [method](`${foreign}${suffix}`)
        .set(as(editorKey));
      const res = await (body ? call.send(body) : call);
      expect({ route: `${method} ${suffix}`, status: res.status, body: res.body }).toEqual({
        route: `${method} ${suffix}`,
        status: 404,
        body: { ...LIGHTRAG_ERROR, code: 'TENANT_NOT_FOUND' },
      });
    }
    const upload = await t.http
      .post(`${foreign}/upload`)
      .set(as(editorKey))
      .attach('file', Buffer.from('x'), 'x.txt')
      .expect(404);
    expect(upload.body.code).toBe('TENANT_NOT_FOUND');

    const refused = await t.http
      .post(`${base()}/text`)
      .set(as(viewerKey))
      .send({ text: 'A viewer note.' })
      .expect(403);
    expect(refused.body).toEqual({ ...LIGHTRAG_ERROR, code: 'FORBIDDEN' });
    const [denial] = await t.app
      .get(DataSource)
      .query(`SELECT action, outcome FROM audit_events WHERE request_id = $1`, [
        refused.headers['x-request-id'],
      ]);
    expect(denial).toEqual({ action: 'document.create', outcome: 'denied' });
    const otherDocs = await t.app
      .get(DataSource)
      .query('SELECT count(*)::int AS n FROM documents WHERE kb_id = $1', [other.kb.id]);
    expect(otherDocs[0].n).toBe(0);
  });

  it("answers LightRAG's /health for the KB, to its members only", async () => {
    const res = await t.http
      .get(`${base().replace(/\/documents$/, '')}/health`)
      .set(as(viewerKey))
      .expect(200);
    expect(res.body).toMatchObject({
      status: 'healthy',
      working_directory: `${tenant.slug}/${kb.slug}`,
      input_directory: null,
      configuration: { workspace: kb.slug, answers_from: 'extractive', vector_storage: 'pgvector' },
      auth_mode: 'enabled',
      pipeline_busy: expect.any(Boolean),
      webui_title: kb.name,
    });
    const foreign = `${base(other.kb, other.tenant).replace(/\/documents$/, '')}/health`;
    const refused = await t.http.get(foreign).set(as(viewerKey)).expect(404);
    expect(refused.body).toEqual({ ...LIGHTRAG_ERROR, code: 'TENANT_NOT_FOUND' });
    await t.http.get(`${base().replace(/\/documents$/, '')}/health`).expect(401);
  });

  it("holds texts to the tenant's max_upload_bytes, as uploads are", async () => {
    const platform = await loginAdmin(t.http);
    const small = await createTenant(t.http, platform);
    const smallAdmin = (await addMember(t.http, platform, small, { role: 'admin' })).token;
    await t.http
      .patch(`/api/v1/tenants/${small.id}`)
      .set(bearer(platform))
      .send({ quotas: { max_upload_bytes: 64 } })
      .expect(200);
    const smallKb = await createKnowledgeBase(t.http, smallAdmin, small, { slug: uniqueSlug('small') });
    const res = await t.http
      .post(`${base(smallKb, small)}/text`)
      .set(bearer(smallAdmin))
      .send({ text: 'x'.repeat(100) })
      .expect(413);
    expect(res.body).toEqual({ ...LIGHTRAG_ERROR, code: 'QUOTA_UPLOAD_BYTES_EXCEEDED' });
  });

  it('waits for a document the Strata way too: the ids it answers are Strata document ids', async () => {
    const res = await t.http
      .post(`${base()}/text`)
      .set(as(editorKey))
      .send({ text: 'Meeting rooms are booked through the front desk.' })
      .expect(200);
    const doc = await waitForDocument(t.http, admin, tenant, kb, res.body.strata.documents[0].id);
    expect(doc).toMatchObject({ status: 'processed', track_id: res.body.track_id });
  });
});
