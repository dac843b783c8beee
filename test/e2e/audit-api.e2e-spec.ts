import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { AUDIT_HASH_VERSION, AuditEvent, auditHash } from '@strata/audit';
import { addMember, bearer, createKnowledgeBase, createTenant, loginAdmin, Tenant } from '../factories';
import { builtApp } from '../support/built-app';
import { describeE2E, startTestApp, TestApp } from '../support/test-app';
import { createSharedTestDatabase } from '../support/test-database';

const SECRETS = { JWT_SECRET: 'j'.repeat(40), MASTER_KEY: 'c'.repeat(64) };

describeE2E('audit API and CLI', () => {
  let t: TestApp;
  let shared: Awaited<ReturnType<typeof createSharedTestDatabase>>;
  let tenant: Tenant;
  let admin: { token: string; userId: string };
  let viewer: string;
  let platform: string;
  let closed = false;

  beforeAll(async () => {
    shared = await createSharedTestDatabase();
    t = await startTestApp(SECRETS, shared);
    platform = await loginAdmin(t.http);
    tenant = await createTenant(t.http, platform);
    admin = await addMember(t.http, platform, tenant, { role: 'admin' });
    viewer = (await addMember(t.http, admin.token, tenant, { role: 'viewer' })).token;
    for (let i = 0; i < 3; i++) await createKnowledgeBase(t.http, admin.token, tenant);
    await t.http.get(`/api/v1/tenants/${tenant.id}/members`).set(bearer(viewer)).expect(403);
  }, 120_000);
  afterAll(async () => {
    if (!closed) await t.close();
    await shared.drop();
  });

  const audit = (query = '') => `/api/v1/tenants/${tenant.id}/audit${query}`;

  it('lists the tenant’s events to its admin, filtered and paginated', async () => {
    const all = await t.http.get(audit('?limit=200')).set(bearer(admin.token));
    expect(all.status).toBe(200);
    const actions = all.body.items.map((e: { action: string }) => e.action);
    expect(actions.filter((a: string) => a === 'knowledge_base.create')).toHaveLength(3);
    expect(all.body.items.every((e: { tenant_id: string }) => e.tenant_id === tenant.id)).toBe(true);

    const denied = await t.http.get(audit('?outcome=denied')).set(bearer(admin.token));
    expect(denied.body.items).toMatchObject([
      { action: 'member.list', outcome: 'denied', actor_type: 'user' },
    ]);

    const byActor = await t.http
      .get(audit(`?actor_id=${admin.userId}&action=knowledge_base.create`))
      .set(bearer(admin.token));
    expect(byActor.body.items).toHaveLength(3);

    const future = await t.http
      .get(audit(`?from=${new Date(Date.now() + 60_000).toISOString()}`))
      .set(bearer(admin.token));
    expect(future.body.items).toEqual([]);

    const first = await t.http.get(audit('?limit=2')).set(bearer(admin.token));
    const second = await t.http
      .get(audit(`?limit=2&cursor=${first.body.next_cursor}`))
      .set(bearer(admin.token));
    expect(second.body.items[0].seq).toBe(String(Number(first.body.items[1].seq) + 1));
  });

  it('lists newest first with order=desc, its cursor going on backwards', async () => {
    const oldestFirst = await t.http.get(audit('?limit=200')).set(bearer(admin.token)).expect(200);
    const seqs = (oldestFirst.body.items as Array<{ seq: string }>).map((e) => e.seq);
    const first = await t.http.get(audit('?order=desc&limit=2')).set(bearer(admin.token)).expect(200);
    const second = await t.http
      .get(audit(`?order=desc&limit=2&cursor=${first.body.next_cursor}`))
      .set(bearer(admin.token))
      .expect(200);
    const newestFirst = [...first.body.items, ...second.body.items].map((e: { seq: string }) => e.seq);
    expect(newestFirst).toEqual(seqs.slice().reverse().slice(0, 4));
    expect((await t.http.get(audit('?order=sideways')).set(bearer(admin.token))).status).toBe(400);
  });

  it('exports every match as NDJSON', async () => {
    const res = await t.http.get(audit('?format=ndjson')).set(bearer(admin.token));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('application/x-ndjson');
    const lines = res.text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const page = await t.http.get(audit('?limit=200')).set(bearer(admin.token));
    expect(lines.map((e) => e.id)).toEqual(page.body.items.map((e: { id: string }) => e.id));
  });

  it('answers the audit only to tenant admins: 403 in the tenant, 404 outside it', async () => {
    expect((await t.http.get(audit()).set(bearer(viewer))).status).toBe(403);
    expect((await t.http.get(audit()).set(bearer(platform))).status).toBe(403);
    const other = await createTenant(t.http, platform);
    const outsider = await addMember(t.http, platform, other, { role: 'admin' });
    expect((await t.http.get(audit()).set(bearer(outsider.token))).status).toBe(404);
    expect((await t.http.get(audit('?outcome=maybe')).set(bearer(admin.token))).status).toBe(400);
  });

  it('`cli audit verify` passes an intact chain and names the first broken link of a tampered one', async () => {
    // From here on the CLI and short-lived apps take turns on the database (PGlite has one owner).
    await t.close();
    closed = true;
    const intact = cli('audit', 'verify', '--tenant', tenant.slug);
    expect(intact.stdout).toMatch(new RegExp(`audit chain ${tenant.id}: \\d+ events, intact`));
    expect(intact.status).toBe(0);

    await tamper((db) =>
      db.query(`UPDATE audit_events SET details = '{"forged": true}' WHERE chain = $1 AND seq = 3`, [
        tenant.id,
      ]),
    );
    const broken = cli('audit', 'verify', '--tenant', tenant.slug);
    expect(broken.status).toBe(1);
    expect(broken.stderr).toContain('BROKEN at seq 3');
  }, 120_000);

  it('finds an event altered with every later hash recomputed: the chain is keyed', async () => {
    await freshTenantChain();
    // What someone who can write the database but has no MASTER_KEY can do: links made without it.
    await rewriteChain(3, (event) => ({ ...event, details: { forged: true } }), AUDIT_HASH_VERSION.keyed);
    const keyedRewrite = cli('audit', 'verify', '--tenant', tenant.slug);
    expect(keyedRewrite.status).toBe(1);
    expect(keyedRewrite.stderr).toMatch(/BROKEN at seq 3 .*hash does not match/);

    // The same, claiming every event predates keyed chains: never intact by default.
    await rewriteChain(1, (event) => event, AUDIT_HASH_VERSION.unkeyed);
    const downgraded = cli('audit', 'verify', '--tenant', tenant.slug);
    expect(downgraded.status).toBe(1);
    expect(downgraded.stderr).toMatch(/NOT VERIFIED: its first \d+ of \d+ events carry unkeyed hashes/);
    expect(cli('audit', 'verify', '--tenant', tenant.slug, '--accept-unkeyed').status).toBe(0);
  }, 120_000);

  it('finds a cut-off tail or a rewritten past against a checkpoint kept outside the database', async () => {
    await freshTenantChain();
    const file = join(mkdtempSync(join(tmpdir(), 'strata-checkpoints-')), 'audit.jsonl');
    const written = cli('audit', 'checkpoint', '--out', file);
    expect(written.status).toBe(0);
    expect(written.stdout).toMatch(/\d+ audit chain checkpoint\(s\) appended/);
    const checkpoint = JSON.parse(
      readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .find((line) => line.includes(tenant.id))!,
    );
    expect(statSync(file).mode & 0o777).toBe(0o644 & ~process.umask());
    expect(cli('audit', 'verify', '--tenant', tenant.slug, '--checkpoint', file).stdout).toMatch(
      new RegExp(`intact, and holds the checkpoint of .* \\(seq ${checkpoint.seq}\\)`),
    );

    // The newest two events deleted: the chain alone still links, the checkpoint says what is gone.
    await tamper((db) =>
      db.query(`DELETE FROM audit_events WHERE chain = $1 AND seq > $2`, [
        tenant.id,
        Number(checkpoint.seq) - 2,
      ]),
    );
    expect(cli('audit', 'verify', '--tenant', tenant.slug).status).toBe(0);
    const cut = cli('audit', 'verify', '--tenant', tenant.slug, '--checkpoint', file);
    expect(cut.status).toBe(1);
    expect(cut.stderr).toMatch(new RegExp(`events are missing: the checkpoint of .* saw ${checkpoint.seq}`));

    const forged = join(mkdtempSync(join(tmpdir(), 'strata-checkpoints-')), 'forged.jsonl');
    writeFileSync(forged, `${JSON.stringify({ ...checkpoint, seq: String(Number(checkpoint.seq) - 2) })}\n`);
    const unsigned = cli('audit', 'verify', '--tenant', tenant.slug, '--checkpoint', forged);
    expect(unsigned.status).toBe(1);
    expect(unsigned.stderr).toMatch(/not signed by this deployment/);
    expect(cli('audit', 'verify', '--tenant', tenant.slug, '--checkpoint', '/nonexistent/file').status).toBe(
      2,
    );
  }, 120_000);

  /** Runs the built CLI on the shared database (the app must be closed: PGlite has one owner). */
  function cli(...args: string[]) {
    return spawnSync(process.execPath, [builtApp('cli'), ...args], {
      env: { PATH: process.env.PATH, ...SECRETS, ...shared.env },
      encoding: 'utf8',
      timeout: 60_000,
    });
  }

  /** Changes audit rows behind the append-only trigger's back, as the table's owner can. */
  async function tamper(change: (db: DataSource) => Promise<unknown>): Promise<void> {
    const app = await startTestApp(SECRETS, shared);
    const db = app.app.get(DataSource);
    await db.query('ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update_delete');
    await change(db);
    await db.query('ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update_delete');
    await app.close();
  }

  /** A new tenant with a few events of its own, so each test starts from an intact chain. */
  async function freshTenantChain(): Promise<void> {
    const app = await startTestApp(SECRETS, shared);
    const platformToken = await loginAdmin(app.http);
    tenant = await createTenant(app.http, platformToken);
    const tenantAdmin = await addMember(app.http, platformToken, tenant, { role: 'admin' });
    for (let i = 0; i < 3; i++) await createKnowledgeBase(app.http, tenantAdmin.token, tenant);
    await app.close();
  }

  /** Rewrites the tenant's chain from `fromSeq` on, each event changed and re-linked without the key. */
  async function rewriteChain(
    fromSeq: number,
    change: (event: AuditEvent) => AuditEvent,
    hashVersion: number,
  ): Promise<void> {
    await tamper(async (db) => {
      const events = await db
        .getRepository(AuditEvent)
        .find({ where: { chain: tenant.id }, order: { seq: 'ASC' } });
      let prevHash: string | null = null;
      for (const event of events) {
        if (Number(event.seq) >= fromSeq) {
          const { hash: _old, ...rest } = change({ ...event, prevHash, hashVersion });
          const hash = auditHash(rest, Buffer.alloc(32));
          await db.query(
            `UPDATE audit_events SET details = $2, prev_hash = $3, hash = $4, hash_version = $5 WHERE id = $1`,
            [event.id, rest.details, prevHash, hash, hashVersion],
          );
          prevHash = hash;
        } else {
          prevHash = event.hash;
        }
      }
    });
  }
});
