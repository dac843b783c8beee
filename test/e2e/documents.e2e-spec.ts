import { DataSource } from 'typeorm';
import { JobRunner } from '@strata/ingestion';
import { BlobStore, unindexDocumentTerms, VectorStore } from '@strata/storage';
import { CORRUPT_PDF, oneFileOfEachFormat } from '../fixtures/documents';
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

describeE2E('documents and ingestion', () => {
  let t: TestApp;
  let tenant: Tenant;
  let admin: string;
  let kb: KnowledgeBase;

  beforeAll(async () => {
    t = await startTestApp();
    const platform = await loginAdmin(t.http);
    tenant = await createTenant(t.http, platform);
    admin = (await addMember(t.http, platform, tenant, { role: 'admin' })).token;
    kb = await createKnowledgeBase(t.http, admin, tenant);
  });
  afterAll(() => t.close());

  const scopeOf = (kbId: string) => testKbScope(tenant.id, kbId);
  const count = async (sql: string, params: unknown[]) =>
    Number((await t.app.get(DataSource).query(sql, params))[0].n);
  const chunkCount = (documentId: string) =>
    count('SELECT count(*) AS n FROM chunks WHERE tenant_id = $1 AND document_id = $2', [
      tenant.id,
      documentId,
    ]);

  it('processes one file of each format into chunks, full-text rows and vectors', async () => {
    const files = await oneFileOfEachFormat();
    let upload = t.http.post(documentsPath(tenant, kb)).set(bearer(admin));
    for (const file of files)
      upload = upload.attach('files', file.content, { filename: file.name, contentType: file.mimeType });
    const res = await upload.field('metadata', JSON.stringify({ source: 'fixtures' }));
    expect(res.status).toBe(202);
    expect(res.body.documents).toHaveLength(files.length);
    expect(
      res.body.documents.every(
        (d: { status: string; duplicate: boolean }) => d.status === 'pending' && !d.duplicate,
      ),
    ).toBe(true);

    for (const [i, file] of files.entries()) {
      const id = res.body.documents[i].id as string;
      const doc = await waitForDocument(t.http, admin, tenant, kb, id);
      expect({ name: file.name, status: doc.status, error: doc.error }).toEqual({
        name: file.name,
        status: 'processed',
        error: null,
      });
      expect(doc.chunk_count).toBeGreaterThan(0);
      expect(doc.size_bytes).toBe(file.content.length);
      expect(doc.content_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(doc.metadata).toEqual({ source: 'fixtures' });
      expect(doc.mime_type).toBe(file.mimeType);
      const chunks = await t.http
        .get(`${documentsPath(tenant, kb)}/${id}/chunks`)
        .set(bearer(admin))
        .expect(200);
      expect(chunks.body.items.map((c: { content: string }) => c.content).join(' ')).toContain(file.marker);
      expect(await t.app.get(VectorStore).count(scopeOf(kb.id), { documentIds: [id] })).toBe(doc.chunk_count);
    }
    // Full text is indexed and filtered by tenant and KB.
    const hits = await count(
      `SELECT count(*) AS n FROM chunks WHERE tenant_id = $1 AND kb_id = $2 AND tsv @@ plainto_tsquery('english', 'orchard harvest')`,
      [tenant.id, kb.id],
    );
    expect(hits).toBe(1);
  });

  it('turns a corrupt PDF into a failed document with a readable error', async () => {
    const res = await t.http
      .post(documentsPath(tenant, kb))
      .set(bearer(admin))
      .attach('files', CORRUPT_PDF, { filename: 'broken.pdf', contentType: 'application/pdf' })
      .expect(202);
    const doc = await waitForDocument(t.http, admin, tenant, kb, res.body.documents[0].id);
    expect(doc.status).toBe('failed');
    expect(doc.error).toMatch(/^the PDF cannot be read/);
    expect(doc.chunk_count).toBe(0);
  });

  it('fails an unsupported file type with a message that lists the supported ones', async () => {
    const res = await t.http
      .post(documentsPath(tenant, kb))
      .set(bearer(admin))
      .attach('files', Buffer.from('PK\u0003\u0004zip'), {
        filename: 'archive.zip',
        contentType: 'application/zip',
      })
      .expect(202);
    const doc = await waitForDocument(t.http, admin, tenant, kb, res.body.documents[0].id);
    expect(doc).toMatchObject({ status: 'failed', mime_type: 'application/zip' });
    expect(doc.error).toMatch(/unsupported file type.*txt, md, html, pdf, docx, csv or json/);
  });

  it('detects duplicates: the same file, the same text, and the same text within one request', async () => {
    const file = Buffer.from('Duplicate detection works on the normalised text.\n');
    const first = await t.http
      .post(documentsPath(tenant, kb))
      .set(bearer(admin))
      .attach('files', file, 'dup.txt')
      .expect(202);
    const again = await t.http
      .post(documentsPath(tenant, kb))
      .set(bearer(admin))
      .attach('files', file, 'dup-copy.txt')
      .expect(202);
    expect(again.body.documents[0]).toMatchObject({ id: first.body.documents[0].id, duplicate: true });

    const text = 'A text sent twice is stored once.';
    const one = await t.http
      .post(`${documentsPath(tenant, kb)}/add`)
      .set(bearer(admin))
      .send({ text })
      .expect(202);
    const two = await t.http
      .post(documentsPath(tenant, kb))
      .set(bearer(admin))
      .send({ text: `${text}\r\n\r\n` })
      .expect(202);
    expect(two.body.documents[0]).toMatchObject({ id: one.body.documents[0].id, duplicate: true });

    const batch = await t.http
      .post(documentsPath(tenant, kb))
      .set(bearer(admin))
      .send({ documents: [{ text: 'Twin one.' }, { text: 'Twin one.' }, { text: 'Twin two.' }] })
      .expect(202);
    const [a, b, c] = batch.body.documents;
    expect(b).toMatchObject({ id: a.id, duplicate: true });
    expect(c.duplicate).toBe(false);
    // A file whose parsed text equals an existing text fails as a duplicate, naming the original.
    const doc = await waitForDocument(t.http, admin, tenant, kb, one.body.documents[0].id);
    expect(doc.status).toBe('processed');
    const sameText = await t.http
      .post(documentsPath(tenant, kb))
      .set(bearer(admin))
      .attach('files', Buffer.from(`${text}\n`), 'same.md')
      .expect(202);
    const failed = await waitForDocument(t.http, admin, tenant, kb, sameText.body.documents[0].id);
    expect(failed.status).toBe('failed');
    expect(failed.error).toContain(one.body.documents[0].id);
  });

  it('lists documents with a status filter and cursor pages, and reads chunks in order', async () => {
    const other = await createKnowledgeBase(t.http, admin, tenant);
    const long = Array.from(
      { length: 60 },
      (_, i) => `Paragraph ${i} describes item ${i} in some detail, enough words to take room.`,
    ).join('\n\n');
    await t.http
      .patch(`/api/v1/tenants/${tenant.id}/knowledge-bases/${other.id}`)
      .set(bearer(admin))
      .send({ config: { chunking: { chunk_size: 100, chunk_overlap: 10 } } })
      .expect(200);
    const ids = [];
    for (let i = 0; i < 3; i++)
      ids.push(await addTextDocument(t.http, admin, tenant, other, `${long}\n\nVersion ${i}.`));
    for (const id of ids) await waitForDocument(t.http, admin, tenant, other, id);

    const first = await t.http
      .get(`${documentsPath(tenant, other)}?limit=2&status=processed`)
      .set(bearer(admin))
      .expect(200);
    expect(first.body.items.map((d: { id: string }) => d.id)).toEqual(ids.slice(0, 2));
    const second = await t.http
      .get(`${documentsPath(tenant, other)}?limit=2&status=processed&cursor=${first.body.next_cursor}`)
      .set(bearer(admin))
      .expect(200);
    expect(second.body.items.map((d: { id: string }) => d.id)).toEqual([ids[2]]);
    expect(second.body.next_cursor).toBeNull();
    const failed = await t.http
      .get(`${documentsPath(tenant, other)}?status=failed`)
      .set(bearer(admin))
      .expect(200);
    expect(failed.body.items).toEqual([]);

    const doc = await waitForDocument(t.http, admin, tenant, other, ids[0]);
    expect(doc.chunk_count).toBeGreaterThan(5);
    const page1 = await t.http
      .get(`${documentsPath(tenant, other)}/${ids[0]}/chunks?limit=3`)
      .set(bearer(admin))
      .expect(200);
    const page2 = await t.http
      .get(`${documentsPath(tenant, other)}/${ids[0]}/chunks?limit=3&cursor=${page1.body.next_cursor}`)
      .set(bearer(admin))
      .expect(200);
    const ordinals = [...page1.body.items, ...page2.body.items].map((c: { ordinal: number }) => c.ordinal);
    expect(ordinals).toEqual([0, 1, 2, 3, 4, 5]);
    expect(page1.body.items.every((c: { token_count: number }) => c.token_count <= 100)).toBe(true);
  });

  it('deletes a document from every store: no chunk, vector, blob or row is left', async () => {
    const id = await addTextDocument(
      t.http,
      admin,
      tenant,
      kb,
      'This document will be deleted soon after it is processed.',
    );
    const doc = await waitForDocument(t.http, admin, tenant, kb, id);
    expect(doc.status).toBe('processed');
    const scope = scopeOf(kb.id);
    expect(await t.app.get(VectorStore).count(scope, { documentIds: [id] })).toBeGreaterThan(0);
    expect(await t.app.get(BlobStore).exists(scope, id)).toBe(true);

    const res = await t.http
      .delete(`${documentsPath(tenant, kb)}/${id}`)
      .set(bearer(admin))
      .expect(202);
    expect(res.body.status).toBe('deleting');
    await waitForDocument(t.http, admin, tenant, kb, id, { until: (status) => status === 404 });
    expect(await chunkCount(id)).toBe(0);
    expect(
      await count('SELECT count(*) AS n FROM documents WHERE tenant_id = $1 AND id = $2', [tenant.id, id]),
    ).toBe(0);
    expect(await t.app.get(VectorStore).count(scope, { documentIds: [id] })).toBe(0);
    expect(await t.app.get(BlobStore).exists(scope, id)).toBe(false);
    const again = await t.http.delete(`${documentsPath(tenant, kb)}/${id}`).set(bearer(admin));
    expect(again.status).toBe(404);
    expect(again.body.code).toBe('DOCUMENT_NOT_FOUND');
  });

  it('reindexes a document and a whole KB, replacing chunks rather than adding to them', async () => {
    const id = await addTextDocument(t.http, admin, tenant, kb, 'Reindexing must not duplicate chunks.');
    const before = await waitForDocument(t.http, admin, tenant, kb, id);
    await t.http
      .post(`${documentsPath(tenant, kb)}/${id}/reindex`)
      .set(bearer(admin))
      .expect(202);
    const after = await waitForDocument(t.http, admin, tenant, kb, id, {
      until: (_status, body) => body.status === 'processed' && body.processed_at !== before.processed_at,
    });
    expect(after.chunk_count).toBe(before.chunk_count);
    expect(await chunkCount(id)).toBe(before.chunk_count);
    const all = await t.http
      .post(`${documentsPath(tenant, kb)}/reindex`)
      .set(bearer(admin))
      .expect(202);
    expect(all.body.queued).toBeGreaterThan(1);
    await waitForDocument(t.http, admin, tenant, kb, id, {
      until: (_status, body) => body.status === 'processed' && body.processed_at !== after.processed_at,
    });
    expect(await t.app.get(VectorStore).count(scopeOf(kb.id), { documentIds: [id] })).toBe(
      before.chunk_count,
    );
  });

  it('finishes a document whose job died between writing its chunks and their postings', async () => {
    const own = await createKnowledgeBase(t.http, admin, tenant);
    // Long enough for several chunks (1,200 tokens each): the dead job wrote only the first.
    const text = Array.from(
      { length: 400 },
      (_, i) => `Paragraph ${i} on turbine blade cooling and the film of air along its edge.`,
    ).join('\n\n');
    const id = await addTextDocument(t.http, admin, tenant, own, text);
    const done = await waitForDocument(t.http, admin, tenant, own, id);
    const sql = t.app.get(DataSource);
    const textStats = () =>
      sql.query('SELECT chunk_count, term_count FROM kb_text_stats WHERE kb_id = $1', [own.id]);
    const statsBefore = await textStats();
    const postingsBefore = await count('SELECT count(*) AS n FROM chunk_terms WHERE kb_id = $1', [own.id]);
    // What a re-ingest leaves when it dies after its first step (old chunks and postings gone) and
    // one slice of chunks, before the postings: chunks without postings, the lease run out.
    const chunks = await sql.query(
      `SELECT id, ordinal, content, token_count FROM chunks WHERE tenant_id = $1 AND kb_id = $2 AND document_id = $3
       ORDER BY ordinal`,
      [tenant.id, own.id, id],
    );
    expect(chunks.length).toBeGreaterThan(1);
    await unindexDocumentTerms(sql, scopeOf(own.id), id);
    await sql.query('DELETE FROM chunks WHERE tenant_id = $1 AND kb_id = $2 AND document_id = $3', [
      tenant.id,
      own.id,
      id,
    ]);
    await sql.query(
      `INSERT INTO chunks (id, tenant_id, kb_id, document_id, ordinal, content, token_count) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [chunks[0].id, tenant.id, own.id, id, chunks[0].ordinal, chunks[0].content, chunks[0].token_count],
    );
    await sql.query(
      `UPDATE documents SET status = 'processing', lease_expires_at = now() - interval '1 minute'
       WHERE tenant_id = $1 AND kb_id = $2 AND id = $3`,
      [tenant.id, own.id, id],
    );
    await t.app.get(JobRunner).sweep();
    const again = await waitForDocument(t.http, admin, tenant, own, id, {
      until: (_status, body) => body.status === 'processed' && body.processed_at !== done.processed_at,
    });
    expect(again.chunk_count).toBe(done.chunk_count);
    expect(await chunkCount(id)).toBe(done.chunk_count);
    expect(await count('SELECT count(*) AS n FROM chunk_terms WHERE kb_id = $1', [own.id])).toBe(
      postingsBefore,
    );
    expect(await textStats()).toEqual(statsBefore);
  });

  it('refuses bad input with clear codes', async () => {
    const path = documentsPath(tenant, kb);
    const cases: Array<
      [string, () => Promise<{ status: number; body: { code: string; message: string } }>, number, string]
    > = [
      ['empty JSON', () => t.http.post(path).set(bearer(admin)).send({}), 400, 'NO_DOCUMENTS'],
      ['empty text', () => t.http.post(path).set(bearer(admin)).send({ text: '' }), 400, 'VALIDATION_FAILED'],
      [
        'whitespace text',
        () => t.http.post(path).set(bearer(admin)).send({ text: ' \n\t ' }),
        400,
        'VALIDATION_FAILED',
      ],
      [
        'text and documents',
        () =>
          t.http
            .post(path)
            .set(bearer(admin))
            .send({ text: 'a', documents: [{ text: 'b' }] }),
        400,
        'VALIDATION_FAILED',
      ],
      [
        'unknown field',
        () => t.http.post(path).set(bearer(admin)).send({ text: 'a', colour: 'red' }),
        400,
        'VALIDATION_FAILED',
      ],
      [
        'no file in form',
        () => t.http.post(path).set(bearer(admin)).field('metadata', '{}'),
        400,
        'NO_DOCUMENTS',
      ],
      [
        'file in wrong field',
        () => t.http.post(path).set(bearer(admin)).attach('file', Buffer.from('x'), 'a.txt'),
        400,
        'VALIDATION_FAILED',
      ],
      [
        'bad metadata field',
        () =>
          t.http
            .post(path)
            .set(bearer(admin))
            .attach('files', Buffer.from('x'), 'a.txt')
            .field('metadata', '{nope'),
        400,
        'VALIDATION_FAILED',
      ],
      [
        'plain text body',
        () => t.http.post(path).set(bearer(admin)).set('content-type', 'text/plain').send('hello'),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      ],
      [
        'bad status filter',
        () => t.http.get(`${path}?status=lost`).set(bearer(admin)),
        400,
        'VALIDATION_FAILED',
      ],
      ['doc id not a uuid', () => t.http.get(`${path}/not-a-uuid`).set(bearer(admin)), 400, 'INVALID_ID'],
      [
        'unknown doc',
        () => t.http.get(`${path}/0190a000-0000-7000-8000-000000000000`).set(bearer(admin)),
        404,
        'DOCUMENT_NOT_FOUND',
      ],
    ];
    for (const [name, send, status, code] of cases) {
      const res = await send();
      expect({ name, status: res.status, code: res.body.code }).toEqual({ name, status, code });
      expect(typeof res.body.message).toBe('string');
    }
  });

  it('keeps an archived KB read-only', async () => {
    const archived = await createKnowledgeBase(t.http, admin, tenant);
    await t.http
      .patch(`/api/v1/tenants/${tenant.id}/knowledge-bases/${archived.id}`)
      .set(bearer(admin))
      .send({ status: 'archived' })
      .expect(200);
    const res = await t.http.post(documentsPath(tenant, archived)).set(bearer(admin)).send({ text: 'nope' });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('KB_ARCHIVED');
  });

  it('records document.create, document.ingest, document.reindex and document.delete in the audit trail', async () => {
    const id = await addTextDocument(t.http, admin, tenant, kb, 'Audited document body.');
    await waitForDocument(t.http, admin, tenant, kb, id);
    await t.http
      .post(`${documentsPath(tenant, kb)}/${id}/reindex`)
      .set(bearer(admin))
      .expect(202);
    await waitForDocument(t.http, admin, tenant, kb, id);
    await t.http
      .delete(`${documentsPath(tenant, kb)}/${id}`)
      .set(bearer(admin))
      .expect(202);
    const rows: Array<{ action: string; outcome: string; actor_type: string }> = await t.app
      .get(DataSource)
      .query(
        'SELECT action, outcome, actor_type FROM audit_events WHERE tenant_id = $1 AND resource_id = $2 ORDER BY seq',
        [tenant.id, id],
      );
    expect(rows.map((r) => r.action)).toEqual([
      'document.create',
      'document.ingest',
      'document.graph',
      'document.reindex',
      'document.ingest',
      'document.graph',
      'document.delete',
    ]);
    for (const action of ['document.ingest', 'document.graph'])
      expect(rows.find((r) => r.action === action)).toMatchObject({
        outcome: 'success',
        actor_type: 'system',
      });
  });
});
