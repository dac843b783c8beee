import { ACCESS_CACHE_TTL_MS, type AccessKind } from '@strata/tenancy';
import {
  addMember,
  bearer,
  createKnowledgeBase,
  createTenant,
  login,
  loginAdmin,
  MEMBER_PASSWORD,
} from '../../factories';
import { builtApp } from '../../support/built-app';
import { inProcessCli } from '../../support/cli';
import { sample } from '../../support/metrics-text';
import { until } from '../../support/eventually';
import { freePort, type RunningProcess, startProcess, stopProcess } from '../../support/processes';
import { describeE2E, startTestApp, TestApp } from '../../support/test-app';
import { createSharedTestDatabase, type TestDatabase } from '../../support/test-database';

const ACCESS_KINDS: AccessKind[] = ['session', 'api_key', 'resolution'];
/** How long the second replica may take to hear a change: a twentieth of ACCESS_CACHE_TTL_MS. */
const HEARD_WITHIN_MS = ACCESS_CACHE_TTL_MS / 20;
const SECRETS = { JWT_SECRET: 's'.repeat(40), MASTER_KEY: 'e'.repeat(64) };

/**
 * The second replica hears a change through PostgreSQL's notification a few milliseconds after
 * the first one commits it (the writer itself waits for it; other replicas do not), so its answer
 * is polled for, bounded far below the cache's 30 s lifetime: a change it did not hear would keep
 * answering from the cache and fail here.
 */
async function heardOnSecond(answer: () => Promise<number>, expected: number): Promise<void> {
  let last = 0;
  await until(async () => (last = await answer()) === expected, HEARD_WITHIN_MS).catch(() => {
    throw new Error(`the second replica still answered ${last}, expected ${expected}`);
  });
}

/** The second replica: the built api in a process of its own, as a deployment runs it. */
class ReplicaProcess {
  private constructor(
    private readonly running: RunningProcess,
    private readonly base: string,
  ) {}

  static async start(env: Record<string, string>): Promise<ReplicaProcess> {
    const port = await freePort();
    const running = await startProcess(
      builtApp('api'),
      { ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
      'listening on',
    );
    return new ReplicaProcess(running, `http://127.0.0.1:${port}`);
  }

  async status(
    path: string,
    headers: Record<string, string>,
    method = 'GET',
    body?: unknown,
  ): Promise<number> {
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    await res.arrayBuffer();
    return res.status;
  }

  /** The replica's access-cache hits so far, every kind, from its /metrics. */
  async cacheHits(): Promise<number> {
    const text = await (await fetch(`${this.base}/metrics`)).text();
    return ACCESS_KINDS.reduce(
      (sum, kind) => sum + (sample(text, 'strata_access_cache_lookups_total', { kind, result: 'hit' }) ?? 0),
      0,
    );
  }

  stop(): Promise<void> {
    return stopProcess(this.running);
  }
}

/**
 * Two api replicas on one database, each with its own AccessCache: this process, and a built api
 * process. A change made through the first (or by the CLI, a third party to both) must count on
 * the second at its very next request, though the second has the caller's session, membership,
 * tenant and KB cached.
 */
describeE2E('access changes across replicas', () => {
  let db: TestDatabase & { env: Record<string, string> };
  let first: TestApp;
  let second: ReplicaProcess;
  let platform: string;

  beforeAll(async () => {
    db = await createSharedTestDatabase();
    first = await startTestApp(SECRETS, db);
    const { redisUrl, jobQueuePrefix } = first.config;
    second = await ReplicaProcess.start({
      ...SECRETS,
      ...db.env,
      ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
      JOB_QUEUE_PREFIX: jobQueuePrefix,
      RUN_JOBS_IN_API: 'false',
    });
    platform = await loginAdmin(first.http);
  });
  afterAll(async () => {
    await second?.stop();
    await first?.close();
    await db?.drop();
  });

  /** A tenant with a KB and an editor, whose reads the second replica has answered from its cache. */
  async function cachedOnSecond() {
    const tenant = await createTenant(first.http, platform);
    const admin = (await addMember(first.http, platform, tenant, { role: 'admin' })).token;
    const kb = await createKnowledgeBase(first.http, admin, tenant);
    const editor = await addMember(first.http, admin, tenant, { role: 'editor' });
    const kbPath = `/api/v1/tenants/${tenant.id}/knowledge-bases/${kb.id}`;
    const read = (token = editor.token) => second.status(kbPath, bearer(token));
    const hits = await second.cacheHits();
    expect(await read()).toBe(200);
    // The feed may still be connecting at a replica's first request; once it listens, reads hit.
    await until(async () => (await read()) === 200 && (await second.cacheHits()) >= hits + 2, 10_000);
    return { tenant, kb, kbPath, admin, editor, read };
  }

  it('honours a logout on the other replica once it hears of it', async () => {
    const { editor, read, tenant } = await cachedOnSecond();
    const session = await first.http
      .post('/api/v1/auth/login')
      .send({ email: editor.email, password: MEMBER_PASSWORD, tenant_id: tenant.id })
      .expect(200);
    expect(await read(session.body.access_token)).toBe(200);
    await first.http
      .post('/api/v1/auth/logout')
      .send({ refresh_token: session.body.refresh_token })
      .expect(204);
    await heardOnSecond(() => read(session.body.access_token), 401);
    expect(await read()).toBe(200); // the editor's other session goes on
  });

  it('honours a disabled account, a removal and a demotion made on the other replica', async () => {
    const disabled = await cachedOnSecond();
    await first.http
      .post(`/api/v1/users/${disabled.editor.userId}/disable`)
      .set(bearer(platform))
      .expect(200);
    await heardOnSecond(() => disabled.read(), 401);

    const removed = await cachedOnSecond();
    await first.http
      .delete(`/api/v1/tenants/${removed.tenant.id}/members/${removed.editor.userId}`)
      .set(bearer(platform))
      .expect(204);
    await heardOnSecond(() => removed.read(), 404);

    const demoted = await cachedOnSecond();
    const upload = () =>
      second.status(`${demoted.kbPath}/documents`, bearer(demoted.editor.token), 'POST', {
        text: 'A short note.',
      });
    expect(await upload()).toBe(202);
    await first.http
      .patch(`/api/v1/tenants/${demoted.tenant.id}/members/${demoted.editor.userId}`)
      .set(bearer(platform))
      .send({ role: 'viewer' })
      .expect(200);
    await heardOnSecond(() => upload(), 403);
    expect(await demoted.read()).toBe(200);
  });

  it('honours a suspended tenant and a deleted KB', async () => {
    const suspended = await cachedOnSecond();
    await first.http
      .patch(`/api/v1/tenants/${suspended.tenant.id}`)
      .set(bearer(platform))
      .send({ status: 'suspended' })
      .expect(200);
    await heardOnSecond(() => suspended.read(), 403);

    const deleted = await cachedOnSecond();
    await first.http
      .delete(`/api/v1/tenants/${deleted.tenant.id}/knowledge-bases/${deleted.kb.id}`)
      .set(bearer(deleted.admin))
      .expect((res) => expect([202, 204]).toContain(res.status));
    await heardOnSecond(() => deleted.read(), 404);
  });

  it('honours a revoked API key', async () => {
    const { tenant, kbPath, admin } = await cachedOnSecond();
    const created = await first.http
      .post(`/api/v1/tenants/${tenant.id}/api-keys`)
      .set(bearer(admin))
      .send({ name: 'reader', role: 'viewer' })
      .expect(201);
    const read = () => second.status(kbPath, { 'X-API-Key': created.body.key });
    expect(await read()).toBe(200);
    expect(await read()).toBe(200);
    await first.http
      .delete(`/api/v1/tenants/${tenant.id}/api-keys/${created.body.id}`)
      .set(bearer(admin))
      .expect(200);
    await heardOnSecond(() => read(), 401);
  });

  it('honours an account the CLI disabled, a third process writing to the database', async () => {
    const { editor, read } = await cachedOnSecond();
    const cli = inProcessCli({ ...SECRETS, ...db.env });
    try {
      expect((await cli(['admin', 'disable', '--email', editor.email])).code).toBe(0);
    } finally {
      await cli.release();
    }
    await heardOnSecond(() => read(), 401);
    await expect(login(first.http, editor.email, MEMBER_PASSWORD)).rejects.toThrow();
  });
});
