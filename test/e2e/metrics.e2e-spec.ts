import {
  addMember,
  addTextDocument,
  bearer,
  createKnowledgeBase,
  createTenant,
  loginAdmin,
  waitForDocument,
} from '../factories';
import { sample } from '../support/metrics-text';
import { describeE2E, startTestApp, TestApp } from '../support/test-app';

describeE2E('metrics', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('serves the named series, with route patterns and no tenant in any label', async () => {
    const platform = await loginAdmin(t.http);
    const tenant = await createTenant(t.http, platform);
    const admin = (await addMember(t.http, platform, tenant, { role: 'admin' })).token;
    const kb = await createKnowledgeBase(t.http, admin, tenant);
    const before = await t.http.get('/metrics').expect(200);
    const chunksBefore = sample(before.text, 'strata_ingested_chunks_total') ?? 0;

    const documentId = await addTextDocument(
      t.http,
      admin,
      tenant,
      kb,
      'Ada Lovelace wrote the first program.',
    );
    await waitForDocument(t.http, admin, tenant, kb, documentId);
    await t.http
      .patch(`/api/v1/tenants/${tenant.id}`)
      .set(bearer(platform))
      .send({ quotas: { requests_per_minute: 1 } })
      .expect(200);
    // The tenant has made more than one request this minute already.
    const kbs = `/api/v1/tenants/${tenant.id}/knowledge-bases`;
    expect((await t.http.get(kbs).set(bearer(admin))).status).toBe(429);

    const res = await t.http.get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    const text = res.text;
    expect(
      sample(text, 'strata_http_request_duration_seconds_count', {
        method: 'GET',
        route: '/api/v1/tenants/:tenantId/knowledge-bases',
        status: '429',
      }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sample(text, 'strata_rate_limit_rejections_total', { code: 'QUOTA_REQUESTS_PER_MINUTE_EXCEEDED' }),
    ).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'strata_ingested_chunks_total')).toBeGreaterThan(chunksBefore);
    expect(
      sample(text, 'strata_job_duration_seconds_count', { type: 'ingest', outcome: 'done' }),
    ).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'strata_documents', { status: 'processed' })).toBeGreaterThanOrEqual(1);
    // The document went through every step of becoming searchable.
    for (const step of ['claim', 'read', 'prepare', 'embed', 'chunk-write', 'vector-write', 'finish']) {
      expect(sample(text, 'strata_ingest_step_seconds_count', { step })).toBeGreaterThanOrEqual(1);
    }
    // The document's graph was built: its job waited for extraction, then merged.
    for (const step of ['extraction-wait', 'mentions', 'read', 'graph', 'embed', 'vector-write']) {
      expect(sample(text, 'strata_graph_merge_step_seconds_count', { step })).toBeGreaterThanOrEqual(1);
    }
    // Requests and jobs both took database connections, and how long they waited and held them shows.
    for (const lane of ['request', 'job', 'graph']) {
      expect(sample(text, 'strata_db_connection_wait_seconds_count', { lane })).toBeGreaterThanOrEqual(1);
      expect(sample(text, 'strata_db_connection_hold_seconds_count', { lane })).toBeGreaterThanOrEqual(1);
    }
    expect(sample(text, 'strata_queue_depth')).not.toBeNull();
    expect(text).toContain('# TYPE strata_provider_request_duration_seconds histogram');
    expect(text).toContain('# TYPE strata_process_cpu_seconds_total counter');
    // Ids never become labels: routes are patterns, and no metric is labelled by tenant.
    expect(text).not.toContain(tenant.id);
    expect(text).not.toContain(kb.id);
  });
});

describeE2E('metrics behind METRICS_TOKEN', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ METRICS_TOKEN: 'scrape-secret-1234' });
  });
  afterAll(() => t.close());

  it('answers 401 without the token and the metrics with it', async () => {
    const refused = await t.http.get('/metrics');
    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe('UNAUTHENTICATED');
    expect((await t.http.get('/metrics').set('Authorization', 'Bearer wrong')).status).toBe(401);
    const res = await t.http.get('/metrics').set('Authorization', 'Bearer scrape-secret-1234').expect(200);
    expect(res.text).toContain('strata_http_request_duration_seconds');
  });
});
