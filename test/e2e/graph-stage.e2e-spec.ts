import { DataSource } from 'typeorm';
import { JobRunner } from '@strata/ingestion';
import { JobQueue } from '@strata/storage';
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
import { graphDrift, NO_GRAPH_DRIFT } from '../support/graph-consistency';
import { OpenAiCompatibleServer } from '../support/openai-compatible-server';
import { describeE2E, startTestApp, TestApp } from '../support/test-app';

/**
 * Documents become searchable first; the knowledge graph is built behind them by a per-KB graph
 * job, whose state each document reports as `graph_status`.
 */
describeE2E('the graph stage: searchable first, the graph built behind', () => {
  let t: TestApp;
  let tenant: Tenant;
  let admin: string;

  beforeAll(async () => {
    t = await startTestApp();
    const platform = await loginAdmin(t.http);
    tenant = await createTenant(t.http, platform);
    admin = (await addMember(t.http, platform, tenant, { role: 'admin' })).token;
  });
  afterAll(() => t.close());

  const getDocument = async (kb: KnowledgeBase, id: string) =>
    (
      await t.http
        .get(`${documentsPath(tenant, kb)}/${id}`)
        .set(bearer(admin))
        .expect(200)
    ).body;
  const labels = async (kb: KnowledgeBase) =>
    (
      (
        await t.http
          .get(`/api/v1/tenants/${tenant.id}/knowledge-bases/${kb.id}/graph/labels?limit=100`)
          .set(bearer(admin))
          .expect(200)
      ).body.labels as Array<{ name: string }>
    )
      .map((l) => l.name)
      .sort();
  const naiveReferences = async (kb: KnowledgeBase, query: string) =>
    (
      await t.http
        .post(`/api/v1/tenants/${tenant.id}/knowledge-bases/${kb.id}/query`)
        .set(bearer(admin))
        .send({ query, mode: 'naive', only_need_context: true })
        .expect(200)
    ).body.references.map((r: { document_id: string }) => r.document_id);
  const setTenantLlm = (url: string | null) =>
    t.http
      .patch(`/api/v1/tenants/${tenant.id}/config`)
      .set(bearer(admin))
      .send({ llm: { base_url: url, model: url ? 'extractor' : null } })
      .expect(200);

  it('answers a search while the graph is still being built, then reports the graph done', async () => {
    const llm = await OpenAiCompatibleServer.start();
    try {
      await setTenantLlm(llm.url);
      const kb = await createKnowledgeBase(t.http, admin, tenant, {
        config: { extraction: { method: 'llm' } },
      });
      // The model takes its time over extraction: the document must not wait for it.
      llm.play({
        delayMs: 3000,
        body: JSON.stringify({
          choices: [
            { message: { content: 'entity<|#|>Maria Lopez<|#|>person<|#|>Chief executive.\n<|COMPLETE|>' } },
          ],
        }),
      });
      const id = await addTextDocument(t.http, admin, tenant, kb, GRAPH_CORPUS.people.text);
      const searchable = await waitForDocument(t.http, admin, tenant, kb, id, {
        until: (_s, body) => body.status === 'processed' || body.status === 'failed',
      });
      expect(searchable).toMatchObject({ status: 'processed' });
      expect(['pending', 'building']).toContain(searchable.graph_status);
      expect(await naiveReferences(kb, 'Who founded Bluefin Analytics?')).toEqual([id]);
      expect(await labels(kb)).toEqual([]);

      expect(await waitForDocument(t.http, admin, tenant, kb, id)).toMatchObject({
        status: 'processed',
        graph_status: 'done',
        graph_error: null,
      });
      expect(await labels(kb)).toEqual(['Maria Lopez']);
    } finally {
      await setTenantLlm(null);
      await llm.stop();
    }
  });

  it('keeps a document searchable when its graph fails, says why, and builds it on reindex', async () => {
    const llm = await OpenAiCompatibleServer.start();
    try {
      await setTenantLlm(llm.url);
      const kb = await createKnowledgeBase(t.http, admin, tenant, {
        config: { extraction: { method: 'llm' } },
      });
      llm.play({ status: 400, body: JSON.stringify({ error: { message: 'model not found' } }) });
      const id = await addTextDocument(t.http, admin, tenant, kb, GRAPH_CORPUS.places.text);
      const failed = await waitForDocument(t.http, admin, tenant, kb, id);
      expect(failed).toMatchObject({ status: 'processed', graph_status: 'failed' });
      expect(failed.graph_error).toMatch(/^graph extraction failed: .*400/);
      expect(await naiveReferences(kb, 'Where is Northwind Traders headquartered?')).toEqual([id]);

      await t.http
        .post(`${documentsPath(tenant, kb)}/${id}/reindex`)
        .set(bearer(admin))
        .expect(202);
      expect(await waitForDocument(t.http, admin, tenant, kb, id)).toMatchObject({
        status: 'processed',
        graph_status: 'done',
        graph_error: null,
      });
    } finally {
      await setTenantLlm(null);
      await llm.stop();
    }
  });

  it('fails the graph stage with the reason when the KB wants an LLM the tenant does not have', async () => {
    const kb = await createKnowledgeBase(t.http, admin, tenant, {
      config: { extraction: { method: 'llm' } },
    });
    const id = await addTextDocument(t.http, admin, tenant, kb, GRAPH_CORPUS.people.text);
    const doc = await waitForDocument(t.http, admin, tenant, kb, id);
    expect(doc).toMatchObject({ status: 'processed', graph_status: 'failed' });
    expect(doc.graph_error).toMatch(/extraction\.method llm/);
    expect(await naiveReferences(kb, 'Maria Lopez')).toEqual([id]);
  });

  it('skips the graph stage in a KB that does not extract', async () => {
    const kb = await createKnowledgeBase(t.http, admin, tenant, {
      config: { extraction: { enabled: false } },
    });
    const id = await addTextDocument(t.http, admin, tenant, kb, GRAPH_CORPUS.people.text);
    expect(await waitForDocument(t.http, admin, tenant, kb, id)).toMatchObject({
      status: 'processed',
      graph_status: 'skipped',
    });
    expect(await labels(kb)).toEqual([]);
  });

  it('merges documents uploaded together into one graph, one audit event each', async () => {
    const kb = await createKnowledgeBase(t.http, admin, tenant);
    const accepted = await t.http
      .post(documentsPath(tenant, kb))
      .set(bearer(admin))
      .send({ documents: [GRAPH_CORPUS.people, GRAPH_CORPUS.places] })
      .expect(202);
    const ids: string[] = accepted.body.documents.map((d: { id: string }) => d.id);
    for (const id of ids)
      expect(await waitForDocument(t.http, admin, tenant, kb, id)).toMatchObject({ graph_status: 'done' });
    // Northwind Traders is named by both documents: one entity with sources in each.
    const northwind = await t.http
      .get(`/api/v1/tenants/${tenant.id}/knowledge-bases/${kb.id}/graph/entities/Northwind%20Traders`)
      .set(bearer(admin))
      .expect(200);
    expect(northwind.body.documents.map((d: { id: string }) => d.id).sort()).toEqual([...ids].sort());
    const events: Array<{ resource_id: string; outcome: string }> = await t.app.get(DataSource).query(
      `SELECT resource_id, outcome FROM audit_events WHERE tenant_id = $1 AND action = 'document.graph'
              AND resource_id = ANY($2::text[])`,
      [tenant.id, ids],
    );
    expect(events.map((e) => e.resource_id).sort()).toEqual([...ids].sort());
    expect(events.every((e) => e.outcome === 'success')).toBe(true);
  });

  it('merges a batch touching more entities and relations than one statement carries', async () => {
    // Small chunks of sentences naming two new organisations each: one graph batch then touches
    // over a thousand entities, more than the merge reads back or upserts in one statement (250).
    const syllables = ['bar', 'cel', 'dun', 'fim', 'gor', 'hal', 'kep', 'lum'];
    const name = (i: number) => {
      const word = [i % 8, (i >> 3) % 8, (i >> 6) % 8, (i >> 9) % 8].map((s) => syllables[s]).join('');
      return word[0].toUpperCase() + word.slice(1);
    };
    const sentences = Array.from(
      { length: 700 },
      (_, i) => `${name(i)} Holdings signed a contract with ${name(i + 1000)} Labs.`,
    );
    const kb = await createKnowledgeBase(t.http, admin, tenant, {
      config: { chunking: { chunk_size: 128, chunk_overlap: 0 } },
    });
    const id = await addTextDocument(t.http, admin, tenant, kb, sentences.join(' '));
    expect(await waitForDocument(t.http, admin, tenant, kb, id)).toMatchObject({ graph_status: 'done' });
    const db = t.app.get(DataSource);
    const [counts] = await db.query(
      `SELECT (SELECT count(*) FROM graph_entities WHERE tenant_id = $1 AND kb_id = $2)::int AS entities,
              (SELECT count(*) FROM graph_relations WHERE tenant_id = $1 AND kb_id = $2)::int AS relations`,
      [tenant.id, kb.id],
    );
    expect(counts.entities).toBeGreaterThan(1000);
    expect(counts.relations).toBeGreaterThan(500);
    expect(await graphDrift((sql, params) => db.query(sql, params), tenant.id, kb.id)).toEqual(
      NO_GRAPH_DRIFT,
    );
  });

  it('resumes the graph of a job that died: documents left building are built again, once', async () => {
    const kb = await createKnowledgeBase(t.http, admin, tenant);
    const id = await addTextDocument(t.http, admin, tenant, kb, GRAPH_CORPUS.people.text);
    await waitForDocument(t.http, admin, tenant, kb, id);
    const before = await labels(kb);
    const sql = t.app.get(DataSource);
    const mentions = async () =>
      Number(
        (
          await sql.query(
            'SELECT count(*) AS n FROM graph_entity_mentions WHERE tenant_id = $1 AND kb_id = $2',
            [tenant.id, kb.id],
          )
        )[0].n,
      );
    const mentionsBefore = await mentions();
    // The job that built it lets the KB's lease go once it has nothing left; only then is no job
    // alive to pick the document up again (the crash below must be the one to recover from).
    await until(async () => {
      const [lease] = await sql.query(
        'SELECT lease_expires_at <= now() AS released FROM graph_builds WHERE tenant_id = $1 AND kb_id = $2',
        [tenant.id, kb.id],
      );
      return lease?.released === true;
    });
    // What a graph job that crashed mid-batch leaves: its document building, its lease run out.
    await sql.query(
      `UPDATE documents SET graph_status = 'building', graph_attempts = graph_attempts + 1
       WHERE tenant_id = $1 AND kb_id = $2 AND id = $3`,
      [tenant.id, kb.id, id],
    );
    await sql.query(
      `UPDATE graph_builds SET lease_expires_at = now() - interval '1 minute' WHERE tenant_id = $1 AND kb_id = $2`,
      [tenant.id, kb.id],
    );
    const attempts = async () =>
      Number(
        (
          await sql.query(
            'SELECT graph_attempts FROM documents WHERE tenant_id = $1 AND kb_id = $2 AND id = $3',
            [tenant.id, kb.id, id],
          )
        )[0].graph_attempts,
      );
    expect((await getDocument(kb, id)).graph_status).toBe('building');
    const attemptsAfterCrash = await attempts();
    // The sweep queues a graph job for the KB, unless the job that built the document, checking
    // for work once more after letting its lease go, has already claimed it again: either way one
    // job, not two, builds it again.
    // The dead build's job may still look running to a shared queue (Bull, until its lock runs
    // out): the sweep's job is keyed by the build's attempt, a job of its own.
    const buildAttempt = async () =>
      Number(
        (
          await sql.query('SELECT attempt FROM graph_builds WHERE tenant_id = $1 AND kb_id = $2', [
            tenant.id,
            kb.id,
          ])
        )[0].attempt,
      );
    const attemptBefore = await buildAttempt();
    const enqueued = jest.spyOn(t.app.get(JobQueue), 'enqueue');
    try {
      await t.app.get(JobRunner).sweep();
      // The job that built it may claim the KB again meanwhile (and let it go): the sweep keys its
      // job by the attempt it found, one of those between the two reads.
      const attemptAfter = await buildAttempt();
      const graphJobs = enqueued.mock.calls.map(([job]) => job).filter((job) => job.targetId === kb.id);
      // None when the job that built it claimed the document again first.
      expect(graphJobs.length).toBeLessThanOrEqual(1);
      for (const job of graphJobs) {
        expect(job.type).toBe('graph');
        expect(Number(job.takeover)).toBeGreaterThanOrEqual(attemptBefore);
        expect(Number(job.takeover)).toBeLessThanOrEqual(attemptAfter);
      }
    } finally {
      enqueued.mockRestore();
    }
    expect(await waitForDocument(t.http, admin, tenant, kb, id)).toMatchObject({ graph_status: 'done' });
    expect(await attempts()).toBe(attemptsAfterCrash + 1);
    expect(await labels(kb)).toEqual(before);
    expect(await mentions()).toBe(mentionsBefore);
  });
});
