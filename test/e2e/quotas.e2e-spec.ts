import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import { BlobStore } from '@strata/storage';
import {
  addMember,
  bearer,
  createKnowledgeBase,
  createTenant,
  documentsPath,
  loginAdmin,
  Tenant,
} from '../factories';
import { describeE2E, startTestApp, TestApp } from '../support/test-app';
import { testKbScope } from '../support/scopes';

describeE2E('quotas and rate limits', () => {
  let t: TestApp;
  let platform: string;

  beforeAll(async () => {
    t = await startTestApp();
    platform = await loginAdmin(t.http);
  });
  afterAll(() => t.close());

  async function tenantWith(quotas: Record<string, number>): Promise<{ tenant: Tenant; admin: string }> {
    const tenant = await createTenant(t.http, platform);
    const admin = (await addMember(t.http, platform, tenant, { role: 'admin' })).token;
    await t.http.patch(`/api/v1/tenants/${tenant.id}`).set(bearer(platform)).send({ quotas }).expect(200);
    return { tenant, admin };
  }

  it('answers requests over requests_per_minute with 429 and Retry-After, for that tenant only', async () => {
    const { tenant, admin } = await tenantWith({ requests_per_minute: 3 });
    const { tenant: calm, admin: calmAdmin } = await tenantWith({ requests_per_minute: 3 });
    const path = `/api/v1/tenants/${tenant.id}/knowledge-bases`;
    for (let i = 0; i < 3; i++) await t.http.get(path).set(bearer(admin)).expect(200);
    const over = await t.http.get(path).set(bearer(admin));
    expect(over.status).toBe(429);
    expect(over.body.code).toBe('QUOTA_REQUESTS_PER_MINUTE_EXCEEDED');
    const retryAfter = Number(over.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // A refused write changes nothing.
    const refused = await t.http.post(path).set(bearer(admin)).send({ name: 'Too many' });
    expect(refused.status).toBe(429);
    const [{ count }] = await t.app
      .get(DataSource)
      .query('SELECT count(*)::int AS count FROM knowledge_bases WHERE tenant_id = $1', [tenant.id]);
    expect(count).toBe(0);
    await t.http.get(`/api/v1/tenants/${calm.id}/knowledge-bases`).set(bearer(calmAdmin)).expect(200);
  });

  it("keeps refusing a throttled tenant's API key, still answers 404 for another tenant, and lifts with new quotas", async () => {
    const { tenant, admin } = await tenantWith({ requests_per_minute: 3 });
    const { tenant: other } = await tenantWith({});
    const issued = await t.http
      .post(`/api/v1/tenants/${tenant.id}/api-keys`)
      .set(bearer(admin))
      .send({ name: 'noisy', role: 'viewer' })
      .expect(201);
    const key = { 'X-API-Key': issued.body.key as string };
    const path = `/api/v1/tenants/${tenant.id}/knowledge-bases`;
    for (let i = 0; i < 2; i++) await t.http.get(path).set(key).expect(200);
    for (let i = 0; i < 3; i++) {
      const refused = await t.http.get(path).set(key);
      expect(refused.status).toBe(429);
      expect(refused.body.code).toBe('QUOTA_REQUESTS_PER_MINUTE_EXCEEDED');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    }
    // The refusal before tenant resolution is only for the key's own tenant: isolation first.
    const elsewhere = await t.http.get(`/api/v1/tenants/${other.id}/knowledge-bases`).set(key);
    expect(elsewhere.status).toBe(404);
    expect(elsewhere.body.code).toBe('TENANT_NOT_FOUND');
    await t.http
      .patch(`/api/v1/tenants/${tenant.id}`)
      .set(bearer(platform))
      .send({ quotas: { requests_per_minute: 1000 } })
      .expect(200);
    await t.http.get(path).set(key).expect(200);
  });

  it('answers requests over max_concurrent_requests with 429', async () => {
    const { tenant, admin } = await tenantWith({ max_concurrent_requests: 0 });
    const res = await t.http.get(`/api/v1/tenants/${tenant.id}`).set(bearer(admin));
    expect(res.status).toBe(429);
    expect(res.body.code).toBe('QUOTA_CONCURRENT_REQUESTS_EXCEEDED');
    expect(res.headers['retry-after']).toBe('1');
  });

  it('releases concurrency slots when requests finish', async () => {
    const { tenant, admin } = await tenantWith({ max_concurrent_requests: 1 });
    for (let i = 0; i < 5; i++)
      await t.http.get(`/api/v1/tenants/${tenant.id}`).set(bearer(admin)).expect(200);
  });

  it('refuses a KB over max_knowledge_bases with 403 and creates nothing', async () => {
    const { tenant, admin } = await tenantWith({ max_knowledge_bases: 1 });
    await createKnowledgeBase(t.http, admin, tenant);
    const res = await t.http
      .post(`/api/v1/tenants/${tenant.id}/knowledge-bases`)
      .set(bearer(admin))
      .send({ name: 'One too many' });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('QUOTA_KNOWLEDGE_BASES_EXCEEDED');
    const list = await t.http.get(`/api/v1/tenants/${tenant.id}/knowledge-bases`).set(bearer(admin));
    expect(list.body.items).toHaveLength(1);
  });

  describe('document quotas', () => {
    async function kbWith(quotas: Record<string, number>) {
      const { tenant, admin } = await tenantWith(quotas);
      const kb = await createKnowledgeBase(t.http, admin, tenant);
      const documentCount = async () =>
        (
          await t.app
            .get(DataSource)
            .query('SELECT count(*)::int AS n FROM documents WHERE tenant_id = $1', [tenant.id])
        )[0].n as number;
      const blobCount = () => t.app.get(BlobStore).count(testKbScope(tenant.id, kb.id));
      return { tenant, admin, kb, path: documentsPath(tenant, kb), documentCount, blobCount };
    }

    it('refuses documents over max_documents with 403, all or nothing', async () => {
      const { admin, path, documentCount, blobCount } = await kbWith({ max_documents: 2 });
      await t.http.post(path).set(bearer(admin)).send({ text: 'first' }).expect(202);
      const batch = await t.http
        .post(path)
        .set(bearer(admin))
        .send({ documents: [{ text: 'second' }, { text: 'third' }] });
      expect(batch.status).toBe(403);
      expect(batch.body.code).toBe('QUOTA_DOCUMENTS_EXCEEDED');
      expect(await documentCount()).toBe(1);
      // A duplicate is not a new document: it passes even at the limit.
      await t.http.post(path).set(bearer(admin)).send({ text: 'second' }).expect(202);
      const dup = await t.http.post(path).set(bearer(admin)).send({ text: 'second' }).expect(202);
      expect(dup.body.documents[0].duplicate).toBe(true);
      const file = await t.http
        .post(path)
        .set(bearer(admin))
        .attach('files', Buffer.from('third file'), 'x.txt');
      expect(file.status).toBe(403);
      expect(await documentCount()).toBe(2);
      expect(await blobCount()).toBe(2);
    });

    it('refuses documents over max_storage_bytes with 403', async () => {
      const { admin, path, documentCount, blobCount } = await kbWith({ max_storage_bytes: 100 });
      await t.http
        .post(path)
        .set(bearer(admin))
        .send({ text: 'x'.repeat(80) })
        .expect(202);
      const res = await t.http
        .post(path)
        .set(bearer(admin))
        .attach('files', Buffer.from('y'.repeat(30)), 'y.txt');
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('QUOTA_STORAGE_BYTES_EXCEEDED');
      expect(await documentCount()).toBe(1);
      expect(await blobCount()).toBe(1);
    });

    it('refuses uploads over max_upload_bytes with 413 before storing anything', async () => {
      const { admin, path, documentCount, blobCount } = await kbWith({ max_upload_bytes: 1000 });
      const multipart = await t.http
        .post(path)
        .set(bearer(admin))
        .attach('files', Buffer.alloc(5000, 97), 'big.txt');
      expect(multipart.status).toBe(413);
      expect(multipart.body.code).toBe('QUOTA_UPLOAD_BYTES_EXCEEDED');
      const json = await t.http
        .post(path)
        .set(bearer(admin))
        .send({ text: 'z'.repeat(1500) });
      expect(json.status).toBe(413);
      expect(json.body.code).toBe('QUOTA_UPLOAD_BYTES_EXCEEDED');
      // Without a Content-Length the body is cut off as soon as a file passes the quota.
      const chunked = await postChunkedMultipart(path, admin, 'stream.txt', Buffer.alloc(5000, 98));
      expect(chunked.status).toBe(413);
      expect(JSON.parse(chunked.body).code).toBe('QUOTA_UPLOAD_BYTES_EXCEEDED');
      expect(await documentCount()).toBe(0);
      expect(await blobCount()).toBe(0);
      await t.http
        .post(path)
        .set(bearer(admin))
        .attach('files', Buffer.alloc(500, 99), 'small.txt')
        .expect(202);
    });
  });

  /** A multipart upload sent with Transfer-Encoding: chunked, so the server learns no length up front. */
  async function postChunkedMultipart(path: string, token: string, name: string, content: Buffer) {
    const server = t.app.getHttpServer();
    if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const boundary = 'strata-boundary';
    return new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port,
          path,
          method: 'POST',
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': `multipart/form-data; boundary=${boundary}`,
            'transfer-encoding': 'chunked',
          },
        },
        (res) => {
          let body = '';
          res.on('data', (chunk) => (body += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      req.write(
        `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${name}"\r\nContent-Type: text/plain\r\n\r\n`,
      );
      req.write(content);
      req.end(`\r\n--${boundary}--\r\n`);
    });
  }
});
