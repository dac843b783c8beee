import { DataSource } from 'typeorm';
import {
  addMember,
  bearer,
  createKnowledgeBase,
  createTenant,
  KnowledgeBase,
  login,
  loginAdmin,
  MEMBER_PASSWORD,
  Tenant,
} from '../factories';
import { describeE2E, startTestApp, TestApp } from '../support/test-app';

describeE2E('membership lifecycle', () => {
  let t: TestApp;
  let platform: string;
  let tenant: Tenant;
  let admin: { token: string; userId: string };
  let kb: KnowledgeBase;

  beforeAll(async () => {
    t = await startTestApp();
    platform = await loginAdmin(t.http);
    tenant = await createTenant(t.http, platform);
    admin = await addMember(t.http, platform, tenant, { role: 'admin' });
    kb = await createKnowledgeBase(t.http, admin.token, tenant);
  });
  afterAll(() => t.close());

  const base = () => `/api/v1/tenants/${tenant.id}`;

  it('a removed member loses access on the next request, with the same unexpired token', async () => {
    const member = await addMember(t.http, admin.token, tenant, { role: 'editor' });
    await t.http.get(`${base()}/knowledge-bases/${kb.id}`).set(bearer(member.token)).expect(200);
    await t.http.delete(`${base()}/members/${member.userId}`).set(bearer(admin.token)).expect(204);
    const after = await t.http.get(`${base()}/knowledge-bases/${kb.id}`).set(bearer(member.token));
    expect(after.status).toBe(404);
    expect(after.body.code).toBe('TENANT_NOT_FOUND');
  });

  it("keeps a removed admin's API keys, unless the tenant says to revoke them with the member", async () => {
    const keyOf = async (token: string) => {
      const res = await t.http
        .post(`${base()}/api-keys`)
        .set(bearer(token))
        .send({ name: 'made by a member', role: 'viewer' });
      expect(res.status).toBe(201);
      return res.body as { id: string; key: string; created_by: string };
    };
    const readWith = async (key: string) =>
      (await t.http.get(`${base()}/knowledge-bases/${kb.id}`).set('X-API-Key', key)).status;

    const leaver = await addMember(t.http, admin.token, tenant, { role: 'admin' });
    const kept = await keyOf(leaver.token);
    expect(kept.created_by).toBe(leaver.userId);
    await t.http.delete(`${base()}/members/${leaver.userId}`).set(bearer(admin.token)).expect(204);
    expect(await readWith(kept.key)).toBe(200); // the tenant's key, not the person's

    const setting = await t.http
      .patch(`${base()}/config`)
      .set(bearer(admin.token))
      .send({ members: { revoke_api_keys_on_removal: true } });
    expect(setting.body.members).toEqual({ revoke_api_keys_on_removal: true });
    const second = await addMember(t.http, admin.token, tenant, { role: 'admin' });
    const revoked = await keyOf(second.token);
    const othersKey = await keyOf(admin.token);
    const removal = await t.http.delete(`${base()}/members/${second.userId}`).set(bearer(admin.token));
    expect(removal.status).toBe(204);
    expect(await readWith(revoked.key)).toBe(401);
    expect(await readWith(othersKey.key)).toBe(200);
    const events = await t.app
      .get(DataSource)
      .query('SELECT action, resource_id, details FROM audit_events WHERE request_id = $1 ORDER BY seq', [
        removal.headers['x-request-id'],
      ]);
    expect(events).toMatchObject([
      { action: 'api_key.revoke', resource_id: revoked.id, details: { creator_removed: true } },
      { action: 'member.delete', resource_id: second.userId, details: { api_keys_revoked: 1 } },
    ]);
    await t.http.patch(`${base()}/config`).set(bearer(admin.token)).send({ members: null }).expect(200);
  });

  it('a demoted admin loses admin rights on the next request', async () => {
    const other = await addMember(t.http, admin.token, tenant, { role: 'admin' });
    await t.http.get(`${base()}/members`).set(bearer(other.token)).expect(200);
    await t.http
      .patch(`${base()}/members/${other.userId}`)
      .set(bearer(admin.token))
      .send({ role: 'viewer' })
      .expect(200);
    await t.http.get(`${base()}/members`).set(bearer(other.token)).expect(403);
    await t.http.get(`${base()}/knowledge-bases/${kb.id}`).set(bearer(other.token)).expect(200);
  });

  it('narrowing a member’s KB assignment hides the other KBs at once', async () => {
    const second = await createKnowledgeBase(t.http, admin.token, tenant);
    const viewer = await addMember(t.http, admin.token, tenant, { role: 'viewer' });
    await t.http.get(`${base()}/knowledge-bases/${second.id}`).set(bearer(viewer.token)).expect(200);
    await t.http
      .patch(`${base()}/members/${viewer.userId}`)
      .set(bearer(admin.token))
      .send({ knowledge_base_ids: [kb.id] })
      .expect(200);
    await t.http.get(`${base()}/knowledge-bases/${second.id}`).set(bearer(viewer.token)).expect(404);
  });

  it('keeps at least one tenant admin', async () => {
    const solo = await createTenant(t.http, platform);
    const only = await addMember(t.http, platform, solo, { role: 'admin' });
    const demote = await t.http
      .patch(`/api/v1/tenants/${solo.id}/members/${only.userId}`)
      .set(bearer(only.token))
      .send({ role: 'editor' });
    expect(demote.status).toBe(409);
    expect(demote.body.code).toBe('LAST_TENANT_ADMIN');
    const remove = await t.http
      .delete(`/api/v1/tenants/${solo.id}/members/${only.userId}`)
      .set(bearer(platform));
    expect(remove.status).toBe(409);
  });

  it('a suspended tenant refuses its members and keeps answering the platform admin', async () => {
    const member = await addMember(t.http, admin.token, tenant, { role: 'viewer' });
    await t.http.patch(base()).set(bearer(platform)).send({ status: 'suspended' }).expect(200);
    const refused = await t.http.get(`${base()}/knowledge-bases`).set(bearer(member.token));
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('TENANT_SUSPENDED');
    await t.http.get(base()).set(bearer(platform)).expect(200);
    await t.http.patch(base()).set(bearer(platform)).send({ status: 'active' }).expect(200);
    await t.http.get(`${base()}/knowledge-bases`).set(bearer(member.token)).expect(200);
  });

  it('an editor with create_kb sees the KB they create, and only it besides their assignment', async () => {
    const editor = await addMember(t.http, admin.token, tenant, {
      role: 'editor',
      knowledge_base_ids: [kb.id],
      permissions: { create_kb: true },
    });
    const created = await t.http
      .post(`${base()}/knowledge-bases`)
      .set(bearer(editor.token))
      .send({ name: 'Editor made' });
    expect(created.status).toBe(201);
    expect(created.body.slug).toBe('editor-made');
    const list = await t.http.get(`${base()}/knowledge-bases`).set(bearer(editor.token));
    expect(list.body.items.map((x: KnowledgeBase) => x.id).sort()).toEqual([kb.id, created.body.id].sort());
  });

  it('an archived KB is read-only until it is made active again', async () => {
    const archived = await createKnowledgeBase(t.http, admin.token, tenant);
    const path = `${base()}/knowledge-bases/${archived.id}`;
    await t.http.patch(path).set(bearer(admin.token)).send({ status: 'archived' }).expect(200);
    const refused = await t.http.patch(path).set(bearer(admin.token)).send({ name: 'renamed' });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('KB_ARCHIVED');
    await t.http.get(path).set(bearer(admin.token)).expect(200);
    await t.http.patch(path).set(bearer(admin.token)).send({ status: 'active' }).expect(200);
    const renamed = await t.http.patch(path).set(bearer(admin.token)).send({ name: 'renamed' });
    expect(renamed.body.name).toBe('renamed');
  });

  it('merges KB config section by section', async () => {
    const path = `${base()}/knowledge-bases/${kb.id}`;
    await t.http
      .patch(path)
      .set(bearer(admin.token))
      .send({ config: { chunking: { chunk_size: 800 } } })
      .expect(200);
    const res = await t.http
      .patch(path)
      .set(bearer(admin.token))
      .send({ config: { query: { top_k: 10 } } });
    expect(res.body.config).toMatchObject({
      chunking: { chunk_size: 800, chunk_overlap: 100 },
      query: { top_k: 10, default_mode: 'mix' },
      extraction: { enabled: true },
    });
  });

  it('adds an existing user to a second tenant without touching their password', async () => {
    const member = await addMember(t.http, admin.token, tenant, { role: 'viewer' });
    const other = await createTenant(t.http, platform);
    const res = await t.http
      .post(`/api/v1/tenants/${other.id}/members`)
      .set(bearer(platform))
      .send({ email: member.email, password: 'attacker-chosen-password', role: 'viewer' });
    expect(res.status).toBe(201);
    expect(res.body.user_id).toBe(member.userId);
    await login(t.http, member.email, MEMBER_PASSWORD, other.id);
    const dup = await t.http
      .post(`/api/v1/tenants/${other.id}/members`)
      .set(bearer(platform))
      .send({ email: member.email, role: 'viewer' });
    expect(dup.status).toBe(409);
    expect(dup.body.code).toBe('MEMBER_EXISTS');
  });

  it("disables a deleted tenant's members who belong to no other tenant, until a tenant adds them", async () => {
    const doomed = await createTenant(t.http, platform);
    const only = await addMember(t.http, platform, doomed, { role: 'admin' });
    const both = await addMember(t.http, platform, doomed, { role: 'viewer' });
    await addMember(t.http, admin.token, tenant, { role: 'viewer' }, both.email);

    await t.http.delete(`/api/v1/tenants/${doomed.id}`).set(bearer(platform)).expect(204);
    // The account of nothing neither logs in nor uses the token it had.
    const refused = await t.http
      .post('/api/v1/auth/login')
      .send({ email: only.email, password: MEMBER_PASSWORD });
    expect({ status: refused.status, code: refused.body.code }).toEqual({
      status: 401,
      code: 'INVALID_CREDENTIALS',
    });
    expect((await t.http.get('/api/v1/auth/me').set(bearer(only.token))).status).toBe(401);
    // A member of another tenant, and the platform admin who deleted it, carry on.
    await login(t.http, both.email, MEMBER_PASSWORD, tenant.id);
    await t.http.get('/api/v1/auth/me').set(bearer(platform)).expect(200);

    // Invited into a tenant again, the account accepts with its own password and logs in again.
    await addMember(t.http, admin.token, tenant, { role: 'viewer' }, only.email);
    await login(t.http, only.email, MEMBER_PASSWORD, tenant.id);
  });

  it('paginates with opaque cursors', async () => {
    const pager = await createTenant(t.http, platform);
    const pagerAdmin = await addMember(t.http, platform, pager, { role: 'admin' });
    const created: string[] = [];
    for (let i = 0; i < 5; i++) created.push((await createKnowledgeBase(t.http, pagerAdmin.token, pager)).id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { status: number; body: { items: KnowledgeBase[]; next_cursor: string | null } } =
        await t.http
          .get(`/api/v1/tenants/${pager.id}/knowledge-bases?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
          .set(bearer(pagerAdmin.token));
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.items.map((x: KnowledgeBase) => x.id));
      cursor = res.body.next_cursor;
    } while (cursor);
    expect(seen).toEqual(created);
  });
});
