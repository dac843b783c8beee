import {
  bearer,
  createKnowledgeBase,
  createTenant,
  KnowledgeBase,
  loginAdmin,
  addMember,
  Tenant,
} from '../factories';
import { describeE2E, startTestApp, TestApp } from '../support/test-app';

const ERROR_SHAPE = {
  statusCode: expect.any(Number),
  error: expect.any(String),
  message: expect.any(String),
  code: expect.any(String),
  requestId: expect.any(String),
};

describeE2E('bad input', () => {
  let t: TestApp;
  let admin: string;
  let platform: string;
  let tenant: Tenant;
  let kb: KnowledgeBase;

  beforeAll(async () => {
    t = await startTestApp({ BODY_LIMIT_BYTES: '4096' });
    platform = await loginAdmin(t.http);
    tenant = await createTenant(t.http, platform);
    admin = (await addMember(t.http, platform, tenant, { role: 'admin' })).token;
    kb = await createKnowledgeBase(t.http, admin, tenant);
  });
  afterAll(() => t.close());

  const kbs = () => `/api/v1/tenants/${tenant.id}/knowledge-bases`;

  it('answers an oversized body with 413 PAYLOAD_TOO_LARGE', async () => {
    const res = await t.http
      .post(kbs())
      .set(bearer(admin))
      .send({ name: 'x'.repeat(10_000) });
    expect(res.status).toBe(413);
    expect(res.body).toEqual({ ...ERROR_SHAPE, statusCode: 413, code: 'PAYLOAD_TOO_LARGE' });
  });

  it('answers malformed JSON with 400 MALFORMED_JSON', async () => {
    const res = await t.http
      .post(kbs())
      .set(bearer(admin))
      .set('Content-Type', 'application/json')
      .send('{"name": "x",');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ ...ERROR_SHAPE, statusCode: 400, code: 'MALFORMED_JSON' });
  });

  it.each([
    ['a number for a string', { name: 42 }],
    ['an array for a string', { name: ['a'] }],
    ['a string for an object', { name: 'ok', config: 'big' }],
    ['a float for an integer', { name: 'ok', config: { chunking: { chunk_size: 10.5 } } }],
    ['an out-of-range integer', { name: 'ok', config: { chunking: { chunk_size: 1_000_000 } } }],
    ['an unknown mode', { name: 'ok', config: { query: { default_mode: 'magic' } } }],
    [
      'an overlap above the chunk size',
      { name: 'ok', config: { chunking: { chunk_size: 200, chunk_overlap: 300 } } },
    ],
    ['metadata that is an array', { name: 'ok', metadata: [1, 2] }],
    ['a slug with capitals', { name: 'ok', slug: 'Bad-Slug' }],
    ['a slug that looks like a uuid', { name: 'ok', slug: '0193a8f1-1111-7aaa-8bbb-123456789abc' }],
  ])('refuses %s with 400 VALIDATION_FAILED', async (_what, body) => {
    const res = await t.http.post(kbs()).set(bearer(admin)).send(body);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ ...ERROR_SHAPE, statusCode: 400, code: 'VALIDATION_FAILED' });
  });

  describe('text PostgreSQL cannot store, nesting and encodings', () => {
    let viewer: string;
    beforeAll(async () => {
      viewer = (await addMember(t.http, await loginAdmin(t.http), tenant, { role: 'viewer' })).token;
    });
    const kbPath = () => `${kbs()}/${kb.id}`;
    const refusedAs = (res: { status: number; body: unknown }, code: string) => {
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ ...ERROR_SHAPE, statusCode: 400, code });
    };

    it('refuses a NUL in a body, a query parameter or a path, whoever sends it', async () => {
      refusedAs(await t.http.post(kbs()).set(bearer(admin)).send({ name: 'a\u0000b' }), 'INVALID_CHARACTERS');
      refusedAs(
        await t.http
          .post(`${kbPath()}/query`)
          .set(bearer(viewer))
          .send({ query: 'what\u0000is it', mode: 'naive' }),
        'INVALID_CHARACTERS',
      );
      refusedAs(await t.http.get(`${kbPath()}/graph/labels?q=%00`).set(bearer(viewer)), 'INVALID_CHARACTERS');
      refusedAs(
        await t.http.get(`${kbPath()}/graph/entities/a%00b`).set(bearer(viewer)),
        'INVALID_CHARACTERS',
      );
    });

    it('refuses a NUL in an uploaded file name, plain or percent-encoded', async () => {
      // A plain NUL in the header breaks the multipart parse.
      const plain = await t.http
        .post(`${kbPath()}/documents`)
        .set(bearer(admin))
        .attach('files', Buffer.from('plain text'), { filename: 'a\u0000b.txt', contentType: 'text/plain' });
      refusedAs(plain, 'VALIDATION_FAILED');
      // RFC 5987's form decodes to one, which only the upload's own check sees.
      const encoded = [
        '--b0undary',
        `Content-Disposition: form-data; name="files"; filename*=UTF-8''a%00b.txt`,
        'Content-Type: text/plain',
        '',
        'plain text',
        '--b0undary--',
        '',
      ].join('\r\n');
      const res = await t.http
        .post(`${kbPath()}/documents`)
        .set(bearer(admin))
        .set('Content-Type', 'multipart/form-data; boundary=b0undary')
        .send(encoded);
      refusedAs(res, 'INVALID_CHARACTERS');
      expect(res.body.message).toBe('file names.0 holds a NUL character or an unpaired UTF-16 surrogate');
    });

    it('refuses unpaired UTF-16 surrogates and keeps a pair (an emoji) as it came', async () => {
      const lone = await t.http
        .post(kbs())
        .set(bearer(admin))
        .set('Content-Type', 'application/json')
        .send('{"name": "ok", "metadata": {"note": "\\ud800"}}');
      refusedAs(lone, 'INVALID_CHARACTERS');
      expect(lone.body.message).toBe(
        'body.metadata.note holds a NUL character or an unpaired UTF-16 surrogate',
      );
      const emoji = await t.http.post(kbs()).set(bearer(admin)).send({ name: 'rockets 🚀' });
      expect(emoji.status).toBe(201);
      expect(emoji.body.name).toBe('rockets 🚀');
    });

    it('refuses a deeply nested body with 400 before anything walks it, even without credentials', async () => {
      // 2,000 levels fit the test app's 4 KB body limit; the validation pipe overflowed the
      // stack at a few thousand and answered 500.
      const deep = `{"email": ${'['.repeat(2000)}${']'.repeat(2000)}, "password": "x"}`;
      refusedAs(
        await t.http.post('/api/v1/auth/login').set('Content-Type', 'application/json').send(deep),
        'INPUT_TOO_DEEP',
      );
      refusedAs(
        await t.http
          .post(kbs())
          .set(bearer(admin))
          .send({ name: 'ok', metadata: JSON.parse(`${'{"a":'.repeat(40)}1${'}'.repeat(40)}`) }),
        'INPUT_TOO_DEEP',
      );
    });

    it('answers a body that does not decode with its Content-Encoding with 400 UNREADABLE_BODY', async () => {
      refusedAs(
        await t.http
          .post('/api/v1/auth/login')
          .set('Content-Type', 'application/json')
          .set('Content-Encoding', 'gzip')
          .send('{"email": "a@b.c", "password": "x"}'),
        'UNREADABLE_BODY',
      );
    });
  });

  it('refuses unknown fields, naming them', async () => {
    const top = await t.http.post(kbs()).set(bearer(admin)).send({ name: 'ok', tenant_id: 'someone-else' });
    expect(top.status).toBe(400);
    expect(top.body.message).toContain('tenant_id is not an accepted field');
    const nested = await t.http
      .post(kbs())
      .set(bearer(admin))
      .send({ name: 'ok', config: { chunking: { size: 3 } } });
    expect(nested.status).toBe(400);
    expect(nested.body.message).toContain('config.chunking.size is not an accepted field');
    const query = await t.http.get(`${kbs()}?limit=5&admin=true`).set(bearer(admin));
    expect(query.status).toBe(400);
  });

  it.each([
    ['SQL in a tenant id', "/api/v1/tenants/1'%20OR%20'1'='1"],
    ['SQL in a KB id', () => `/api/v1/tenants/${tenant.id}/knowledge-bases/x;DROP%20TABLE%20tenants`],
    ['an encoded path traversal', '/api/v1/tenants/..%2F..%2Fetc%2Fpasswd'],
    ['a traversal in a KB id', () => `/api/v1/tenants/${tenant.id}/knowledge-bases/..%2Fsecrets`],
    ['an over-long slug', `/api/v1/tenants/${'a'.repeat(80)}`],
    ['unicode', '/api/v1/tenants/%C3%A9t%C3%A9'],
    ['a non-uuid user id', () => `/api/v1/tenants/${tenant.id}/members/1%20OR%201=1`],
  ])('answers %s with 400 INVALID_ID before any lookup', async (_what, path) => {
    const url = typeof path === 'function' ? path() : path;
    const res = await t.http.get(url).set(bearer(admin));
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ ...ERROR_SHAPE, statusCode: 400, code: 'INVALID_ID' });
  });

  it('answers a plain traversal that leaves the route with a 404 in the error shape', async () => {
    const res = await t.http.get('/api/v1/tenants/../../etc/passwd').set(bearer(admin));
    expect([400, 404]).toContain(res.status);
    expect(res.body).toEqual({ ...ERROR_SHAPE, statusCode: res.status });
  });

  it('answers an unknown route with 404 ROUTE_NOT_FOUND', async () => {
    const res = await t.http.get('/api/v1/nothing-here').set(bearer(admin));
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ ...ERROR_SHAPE, statusCode: 404, code: 'ROUTE_NOT_FOUND' });
  });

  it('refuses a garbage pagination cursor and limit', async () => {
    const cursor = await t.http.get(`${kbs()}?cursor=not-a-cursor!`).set(bearer(admin));
    expect(cursor.status).toBe(400);
    expect(cursor.body.code).toBe('INVALID_CURSOR');
    const limit = await t.http.get(`${kbs()}?limit=abc`).set(bearer(admin));
    expect(limit.status).toBe(400);
    expect(limit.body.code).toBe('VALIDATION_FAILED');
  });

  it('echoes a safe X-Request-Id and replaces an unsafe one', async () => {
    const safe = await t.http.get(`${kbs()}/${kb.id}`).set(bearer(admin)).set('X-Request-Id', 'trace-123');
    expect(safe.headers['x-request-id']).toBe('trace-123');
    const unsafe = await t.http.get('/api/v1/nothing').set('X-Request-Id', '<script>');
    expect(unsafe.headers['x-request-id']).not.toBe('<script>');
    expect(unsafe.body.requestId).toBe(unsafe.headers['x-request-id']);
  });

  it('refuses permission flags beyond a role and unknown KBs in an assignment', async () => {
    const invitations = `/api/v1/tenants/${tenant.id}/invitations`;
    const beyond = await t.http
      .post(invitations)
      .set(bearer(admin))
      .send({ email: 'v@example.test', role: 'viewer', permissions: { delete_documents: true } });
    expect(beyond.status).toBe(400);
    expect(beyond.body.code).toBe('PERMISSION_OUTSIDE_ROLE');
    const unknownKb = await t.http
      .post(invitations)
      .set(bearer(admin))
      .send({ email: 'v@example.test', role: 'viewer', knowledge_base_ids: ['no-such-kb'] });
    expect(unknownKb.status).toBe(400);
    expect(unknownKb.body.code).toBe('UNKNOWN_KNOWLEDGE_BASE');
    // A platform admin adds members directly, and a new account needs its password.
    const noPassword = await t.http
      .post(`/api/v1/tenants/${tenant.id}/members`)
      .set(bearer(platform))
      .send({ email: 'fresh@example.test', role: 'viewer' });
    expect(noPassword.status).toBe(400);
    expect(noPassword.body.code).toBe('PASSWORD_REQUIRED');
  });

  it('keeps slugs unique: tenants deployment-wide, KBs within a tenant', async () => {
    const dupKb = await t.http.post(kbs()).set(bearer(admin)).send({ name: 'dup', slug: kb.slug });
    expect(dupKb.status).toBe(409);
    expect(dupKb.body.code).toBe('KB_SLUG_TAKEN');
    const platform = await loginAdmin(t.http);
    const dupTenant = await t.http
      .post('/api/v1/tenants')
      .set(bearer(platform))
      .send({ slug: tenant.slug, name: 'dup' });
    expect(dupTenant.status).toBe(409);
    expect(dupTenant.body.code).toBe('TENANT_SLUG_TAKEN');
  });
});
