import { DataSource } from 'typeorm';
import {
  addMember,
  bearer,
  createKnowledgeBase,
  createTenant,
  KnowledgeBase,
  loginAdmin,
  Tenant,
} from '../factories';
import { describeE2E, startTestApp, TestApp } from '../support/test-app';

describeE2E('API keys', () => {
  let t: TestApp;
  let admin: string;
  let tenant: Tenant;
  let other: Tenant;
  let kb1: KnowledgeBase;
  let kb2: KnowledgeBase;
  let otherKb: KnowledgeBase;

  beforeAll(async () => {
    t = await startTestApp();
    const platform = await loginAdmin(t.http);
    tenant = await createTenant(t.http, platform);
    other = await createTenant(t.http, platform);
    admin = (await addMember(t.http, platform, tenant, { role: 'admin' })).token;
    const otherAdmin = (await addMember(t.http, platform, other, { role: 'admin' })).token;
    kb1 = await createKnowledgeBase(t.http, admin, tenant);
    kb2 = await createKnowledgeBase(t.http, admin, tenant);
    otherKb = await createKnowledgeBase(t.http, otherAdmin, other);
  });
  afterAll(() => t.close());

  const keys = () => `/api/v1/tenants/${tenant.id}/api-keys`;
  const kbPath = (kb: KnowledgeBase, owner = tenant) =>
    `/api/v1/tenants/${owner.id}/knowledge-bases/${kb.id}`;

  async function issue(body: object): Promise<{ id: string; key: string; prefix: string }> {
    const res = await t.http.post(keys()).set(bearer(admin)).send(body);
    expect(res.status).toBe(201);
    return res.body;
  }

  it('issues a 256-bit sk_ key once, with its 8-character prefix', async () => {
    const created = await issue({ name: 'sync', role: 'viewer', knowledge_base_ids: [kb1.id] });
    expect(created.key).toMatch(/^sk_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(created.key.slice(3), 'base64url')).toHaveLength(32);
    expect(created.prefix).toBe(created.key.slice(3, 11));
  });

  it('a viewer key scoped to one KB reads that KB and nothing else, and cannot mutate', async () => {
    const { key } = await issue({ name: 'reader', role: 'viewer', knowledge_base_ids: [kb1.slug] });
    for (const header of [{ 'X-API-Key': key }, bearer(key)]) {
      await t.http.get(kbPath(kb1)).set(header).expect(200);
      const list = await t.http.get(`/api/v1/tenants/${tenant.id}/knowledge-bases`).set(header);
      expect(list.body.items.map((x: KnowledgeBase) => x.id)).toEqual([kb1.id]);
      expect((await t.http.get(kbPath(kb2)).set(header)).status).toBe(404);
      expect((await t.http.get(kbPath(otherKb, other)).set(header)).status).toBe(404);
      expect((await t.http.get(`/api/v1/tenants/${other.id}`).set(header)).status).toBe(404);
      expect((await t.http.patch(kbPath(kb1)).set(header).send({ name: 'x' })).status).toBe(403);
      expect((await t.http.delete(kbPath(kb1)).set(header)).status).toBe(403);
      expect(
        (await t.http.post(`/api/v1/tenants/${tenant.id}/knowledge-bases`).set(header).send({ name: 'x' }))
          .status,
      ).toBe(403);
      expect((await t.http.get(`/api/v1/tenants/${tenant.id}/members`).set(header)).status).toBe(403);
      expect((await t.http.get(keys()).set(header)).status).toBe(403);
    }
    const me = await t.http.get('/api/v1/auth/me').set('X-API-Key', key);
    expect(me.body).toMatchObject({
      user: null,
      tenant_id: tenant.id,
      api_key: { role: 'viewer', knowledge_base_ids: [kb1.id] },
    });
  });

  it('stops working the moment it is revoked', async () => {
    const { id, key } = await issue({ name: 'short-lived', role: 'viewer' });
    await t.http.get(kbPath(kb1)).set('X-API-Key', key).expect(200);
    const revoked = await t.http.delete(`${keys()}/${id}`).set(bearer(admin));
    expect(revoked.status).toBe(200);
    expect(revoked.body.revoked_at).not.toBeNull();
    const after = await t.http.get(kbPath(kb1)).set('X-API-Key', key);
    expect(after.status).toBe(401);
    expect(after.body.code).toBe('UNAUTHENTICATED');
  });

  it('stops working once it expires', async () => {
    const { key } = await issue({
      name: 'expiring',
      role: 'viewer',
      expires_at: new Date(Date.now() + 1500).toISOString(),
    });
    await t.http.get(kbPath(kb1)).set('X-API-Key', key).expect(200);
    await new Promise((r) => setTimeout(r, 1600));
    await t.http.get(kbPath(kb1)).set('X-API-Key', key).expect(401);
  });

  it('never lists a secret', async () => {
    const { key } = await issue({ name: 'listed', role: 'editor' });
    const res = await t.http.get(`${keys()}?limit=200`).set(bearer(admin));
    expect(res.status).toBe(200);
    const text = JSON.stringify(res.body);
    expect(text).not.toContain(key);
    expect(text).not.toContain(key.slice(3, 20));
    for (const item of res.body.items) {
      expect(Object.keys(item).sort()).toEqual(
        [
          'created_at',
          'created_by',
          'expires_at',
          'id',
          'knowledge_base_ids',
          'last_used_at',
          'name',
          'permissions',
          'prefix',
          'revoked_at',
          'role',
          'rotated_from',
        ].sort(),
      );
    }
  });

  it('refuses forged and malformed keys with the same 401', async () => {
    const { key } = await issue({ name: 'genuine', role: 'viewer' });
    const forged = `${key.slice(0, 11)}${'A'.repeat(key.length - 11)}`;
    for (const presented of [forged, 'sk_short', `${key}x`, 'not-a-key']) {
      const res = await t.http.get(kbPath(kb1)).set('X-API-Key', presented);
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('UNAUTHENTICATED');
    }
  });

  it('refuses a request that presents both a key and a bearer token, whichever of them is valid', async () => {
    const { key } = await issue({ name: 'both', role: 'viewer' });
    expect((await t.http.get(kbPath(kb1)).set('X-API-Key', key)).status).toBe(200);
    expect((await t.http.get(kbPath(kb1)).set(bearer(admin))).status).toBe(200);
    for (const [apiKey, authorization] of [
      [key, 'Bearer not.a.jwt'],
      ['sk_forged', `Bearer ${admin}`],
      [key, `Bearer ${admin}`],
    ]) {
      const res = await t.http.get(kbPath(kb1)).set('X-API-Key', apiKey).set('Authorization', authorization);
      expect({ status: res.status, code: res.body.code }).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
    }
  });

  it('validates what a key is granted', async () => {
    const bad = [
      [{ name: 'x', role: 'owner' }, 'VALIDATION_FAILED'],
      [{ name: 'x', role: 'viewer', permissions: { delete_documents: true } }, 'PERMISSION_OUTSIDE_ROLE'],
      [{ name: 'x', role: 'viewer', knowledge_base_ids: [otherKb.id] }, 'UNKNOWN_KNOWLEDGE_BASE'],
      [{ name: 'x', role: 'viewer', expires_at: '2001-01-01T00:00:00Z' }, 'VALIDATION_FAILED'],
      [{ name: 'x', role: 'viewer', expires_at: 'tomorrow' }, 'VALIDATION_FAILED'],
    ] as const;
    for (const [body, code] of bad) {
      const res = await t.http.post(keys()).set(bearer(admin)).send(body);
      expect({ status: res.status, code: res.body.code }).toEqual({ status: 400, code });
    }
  });

  it('keeps keys to their tenant: another tenant cannot list or revoke them', async () => {
    const { id } = await issue({ name: 'mine', role: 'viewer' });
    const platform = await loginAdmin(t.http);
    const otherAdmin = (await addMember(t.http, platform, other, { role: 'admin' })).token;
    expect((await t.http.get(keys()).set(bearer(otherAdmin))).status).toBe(404);
    expect(
      (await t.http.delete(`/api/v1/tenants/${other.id}/api-keys/${id}`).set(bearer(otherAdmin))).status,
    ).toBe(404);
    expect((await t.http.delete(`${keys()}/not-a-uuid`).set(bearer(admin))).status).toBe(400);
  });

  it('an admin key manages the tenant like an admin member', async () => {
    const { key } = await issue({ name: 'automation', role: 'admin' });
    const created = await t.http
      .post(`/api/v1/tenants/${tenant.id}/knowledge-bases`)
      .set('X-API-Key', key)
      .send({ name: 'Made by key' });
    expect(created.status).toBe(201);
    await t.http.get(`/api/v1/tenants/${tenant.id}/members`).set('X-API-Key', key).expect(200);
    const tenants = await t.http.get('/api/v1/tenants').set('X-API-Key', key);
    expect(tenants.body.items.map((x: Tenant) => x.id)).toEqual([tenant.id]);
  });

  describe('rotation', () => {
    const readKb = async (key: string) => (await t.http.get(kbPath(kb1)).set('X-API-Key', key)).status;
    const rotate = (id: string, body: object = {}, token = admin, owner = tenant) =>
      t.http.post(`/api/v1/tenants/${owner.id}/api-keys/${id}/rotate`).set(bearer(token)).send(body);

    it('issues a new secret with the same grants while the old one works out its grace period', async () => {
      const old = await issue({ name: 'sync', role: 'viewer', knowledge_base_ids: [kb1.id] });
      const before = Date.now();
      const res = await rotate(old.id, { grace_seconds: 3600 });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        name: 'sync',
        role: 'viewer',
        knowledge_base_ids: [kb1.id],
        rotated_from: old.id,
        key: expect.stringMatching(/^sk_/),
      });
      const graceEnd = new Date(res.body.previous_expires_at).getTime();
      expect(graceEnd).toBeGreaterThanOrEqual(before + 3_600_000);
      expect(graceEnd).toBeLessThan(Date.now() + 3_600_000 + 1000);
      expect(await readKb(res.body.key)).toBe(200);
      expect(await readKb(old.key)).toBe(200);
      // The new key is scoped like the old one.
      expect((await t.http.get(kbPath(kb2)).set('X-API-Key', res.body.key)).status).toBe(404);
      const listed = await t.http.get(`${keys()}?limit=200`).set(bearer(admin));
      const oldRow = listed.body.items.find((k: { id: string }) => k.id === old.id);
      expect(oldRow.expires_at).toBe(res.body.previous_expires_at);
      const events = await t.app
        .get(DataSource)
        .query('SELECT action, resource_id, details FROM audit_events WHERE request_id = $1', [
          res.headers['x-request-id'],
        ]);
      expect(events).toMatchObject([
        {
          action: 'api_key.rotate',
          resource_id: old.id,
          details: { new_key_id: res.body.id, grace_seconds: 3600 },
        },
      ]);
      expect(JSON.stringify(events)).not.toContain(res.body.key);
    });

    it('revokes the old secret at once with no grace, and never rotates a dead key', async () => {
      const old = await issue({ name: 'leaked', role: 'viewer' });
      const res = await rotate(old.id, { grace_seconds: 0 });
      expect(res.status).toBe(201);
      expect(await readKb(old.key)).toBe(401);
      expect(await readKb(res.body.key)).toBe(200);
      const again = await rotate(old.id);
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('API_KEY_NOT_ACTIVE');
      expect((await rotate(old.id, { grace_seconds: 8 * 86_400 })).body.code).toBe('VALIDATION_FAILED');
    });

    it('is for tenant admins of the key’s tenant only', async () => {
      const old = await issue({ name: 'guarded', role: 'viewer' });
      const platform = await loginAdmin(t.http);
      const editor = (await addMember(t.http, platform, tenant, { role: 'editor' })).token;
      expect((await rotate(old.id, {}, editor)).status).toBe(403);
      const otherAdmin = (await addMember(t.http, platform, other, { role: 'admin' })).token;
      expect((await rotate(old.id, {}, otherAdmin, other)).status).toBe(404);
      expect(await readKb(old.key)).toBe(200);
    });
  });
});
