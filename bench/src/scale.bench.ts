import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { Client as PgClient } from 'pg';
import { benchTenant, waitUntilIngested } from './bench-tenant';
import { seededRandom } from './corpus';
import { companyCorpus, type Company } from './quality.bench';
import { addEmptyTenants, cloneIds, cloneTenantRows, cloneTenantVectors } from './scale/clone-tenants';
import { closedLoop, interleaved, overhead, percentiles, timed, type Percentiles } from './scale/latency';
import { BenchStore, sharedEnv, type SharedEnv } from './scale/stores';
import { metricsTextAt } from './ingest/prometheus-text';
import { Client, memoryOf, startServer, stopServer, wasmResidentOf, type BenchServer } from './server';

export interface ScaleOptions {
  apiMain: string;
  benchMain: string;
  postgresUrl: string;
  redisUrl: string;
  /** Tenants in the store for the isolation figures; each holds a copy of the same KB. */
  tenantCounts: number[];
  /** KBs touched (a query each) before each memory reading; the largest is also the tenant count. */
  kbTouches: number[];
  /** Queries per mode and store in each interleaved comparison. */
  samples: number;
  /** Seconds of each mixed-load phase. */
  loadSeconds: number;
  companies: number;
}

interface Check {
  figure: string;
  measured: string;
  target: string;
  pass: boolean;
}

interface IsolationRow {
  tenants: number;
  mode: string;
  baseline: Percentiles;
  scaled: Percentiles;
  p50_overhead: number;
  p95_overhead: number;
  /** Share of questions whose references were identical in both stores. */
  same_references: number;
}

export interface ScaleReport {
  date: string;
  machine: string;
  deployment: string;
  kb: Record<string, number>;
  seeding_seconds: Record<string, number>;
  isolation: IsolationRow[];
  request_path: {
    guarded: Percentiles & { requests_per_second: number };
    bare: Percentiles & { requests_per_second: number };
    p50_overhead: number;
    rps_overhead: number;
    /** p50 of one round trip from Node, the unit of what the guarded path adds. */
    round_trip_ms: { postgres: number; redis: number };
  };
  /** RSS of the api, and of it the WebAssembly memory of its PGlite (vectors fallback). */
  memory: Array<{
    kbs_touched: number;
    rss_mb: number;
    pglite_mb: number;
    /** The V8 heap in use (strata_nodejs_heap_size_used_bytes): what is kept, less the heap's slack. */
    heap_used_mb: number;
    vs_first: number;
  }>;
  tenant_count: { tenants: number; baseline: Percentiles; scaled: Percentiles; p50_overhead: number };
  mixed_load: {
    clients: number;
    tenants: number;
    seconds: number;
    quiet: LoadPhase;
    noisy: LoadPhase & { noisy_requests: number; noisy_rejected: number };
    p95_increase: number;
    failed_documents: number;
  };
  checks: Check[];
}

interface LoadPhase {
  requests: number;
  requests_per_second: number;
  errors: number;
  queries: Percentiles;
  uploads: Percentiles;
}

/** Quotas of the benchmark's tenants: high enough that only the noisy tenant is ever throttled. */
const UNTHROTTLED = {
  queries_per_minute: 1_000_000,
  requests_per_minute: 1_000_000,
  max_concurrent_requests: 1_000,
};
const NOISY = { queries_per_minute: 30, requests_per_minute: 60, max_concurrent_requests: 4 };
const MODES = ['naive', 'mix'] as const;
/** Interleaved samples each server answers before a comparison is measured. */
const WARM_UP = 50;
const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
const log = (message: string) => process.stderr.write(`[scale] ${message}\n`);

const question = (company: Company) => `Where is the company that ${company.leader} leads headquartered?`;
const kbPath = (tenantId: string, kbId: string) => `/api/v1/tenants/${tenantId}/knowledge-bases/${kbId}`;

interface Target {
  tenantId: string;
  kbId: string;
}

function login(server: BenchServer, member: { email: string; password: string }): Promise<Client> {
  return Client.signedIn(server.base, member);
}

async function ask(client: Client, target: Target, company: Company, mode: string): Promise<string> {
  const res = await client.call<{ references: Array<{ chunk_id?: string; document_id: string }> }>(
    'POST',
    `${kbPath(target.tenantId, target.kbId)}/query`,
    { query: question(company), mode },
  );
  return res.references.map((r) => r.chunk_id ?? r.document_id).join(',');
}

/** The same query on the same KB through two servers, interleaved. */
async function compareQueries(
  baseline: Client,
  scaled: Client,
  target: Target,
  companies: Company[],
  mode: string,
  samples: number,
): Promise<{ baseline: number[]; scaled: number[]; same: number }> {
  let same = 0;
  for (const company of companies) {
    if ((await ask(baseline, target, company, mode)) === (await ask(scaled, target, company, mode))) same++;
  }
  const pick = (i: number) => companies[i % companies.length];
  const times = await interleaved(
    {
      baseline: (i) => ask(baseline, target, pick(i), mode),
      scaled: (i) => ask(scaled, target, pick(i), mode),
    },
    samples,
  );
  return { ...times, same: round(same / companies.length) };
}

/**
 * Multi-tenant scale on PostgreSQL + Redis: what tenant and KB isolation, the guarded request
 * path and the number of tenants cost, how memory behaves as more KBs are used, and whether a
 * tenant over its rate limit slows the others. Every figure is a ratio against a baseline
 * measured in the same run.
 */
export async function scaleBenchmark(options: ScaleOptions): Promise<ScaleReport> {
  const admin = new PgClient({ connectionString: options.postgresUrl, connectionTimeoutMillis: 3000 });
  await admin.connect();
  const shared = sharedEnv(options.redisUrl);
  const stores: BenchStore[] = [];
  const servers: BenchServer[] = [];
  const start = async (store: BenchStore, name: string, env: Record<string, string> = {}) => {
    const server = await startServer(options.apiMain, { ...store.env(shared, name), ...env });
    servers.push(server);
    return server;
  };
  try {
    const { companies, documents } = companyCorpus(options.companies);
    const scaledStore = await BenchStore.create(options.postgresUrl, admin);
    stores.push(scaledStore);

    log(`ingesting the reference KB (${documents.length} documents)`);
    let scaled = await start(scaledStore, 'scaled');
    const tenant = await benchTenant(scaled);
    const kbId = await tenant.createKnowledgeBase();
    const reference: Target = { tenantId: tenant.tenantId, kbId };
    for (const doc of documents) {
      await tenant.admin.call('POST', `${kbPath(reference.tenantId, kbId)}/documents`, {
        title: doc.title,
        text: doc.text,
      });
    }
    await waitUntilIngested(tenant.admin, `${kbPath(reference.tenantId, kbId)}/documents`);
    await stopServer(scaled);

    let pg = await scaledStore.connect();
    await pg.query('UPDATE tenants SET quotas = $2 WHERE id = $1', [reference.tenantId, UNTHROTTLED]);
    const kb = await describeKb(pg, scaledStore, reference);
    await pg.end(); // a database is copied only while nobody is connected to it
    const baselineStore = await scaledStore.copy(admin);
    pg = await scaledStore.connect();
    stores.push(baselineStore);
    // Both servers start afresh for each comparison and are warmed alike, so neither has the
    // other's head start in JIT, connection pools or caches.
    let baselineServer: BenchServer | null = null;
    const startPair = async () => {
      if (baselineServer) await stopServer(baselineServer);
      baselineServer = await start(baselineStore, 'baseline');
      scaled = await start(scaledStore, 'scaled');
      return {
        baseline: await login(baselineServer, tenant.member),
        scaled: await login(scaled, tenant.member),
      };
    };

    const seeding: Record<string, number> = {};
    const isolation: IsolationRow[] = [];
    let tenants = 1;
    for (const count of options.tenantCounts) {
      if (count > tenants) {
        log(`copying the tenant up to ${count} tenants`);
        seeding[`${count} tenants`] = round(
          (await timed(() => cloneTenant(pg, scaledStore, reference.tenantId, tenants, count - 1))) / 1000,
          1,
        );
        tenants = count;
      }
      const pair = await startPair();
      for (const mode of MODES) {
        await compareQueries(pair.baseline, pair.scaled, reference, companies, mode, WARM_UP);
        const result = await compareQueries(
          pair.baseline,
          pair.scaled,
          reference,
          companies,
          mode,
          options.samples,
        );
        const row: IsolationRow = {
          tenants,
          mode,
          baseline: percentiles(result.baseline),
          scaled: percentiles(result.scaled),
          p50_overhead: 0,
          p95_overhead: 0,
          same_references: result.same,
        };
        row.p50_overhead = overhead(row.scaled.p50_ms, row.baseline.p50_ms);
        row.p95_overhead = overhead(row.scaled.p95_ms, row.baseline.p95_ms);
        isolation.push(row);
        log(`isolation: ${JSON.stringify(row)}`);
      }
      await stopServer(scaled);
    }

    const totalKbs = Math.max(...options.kbTouches);
    const { rows: members } = await pg.query<{ user_id: string }>(
      'SELECT user_id FROM memberships WHERE tenant_id = $1',
      [reference.tenantId],
    );
    log(`adding ${totalKbs - tenants} tenants with an empty KB each`);
    const started = performance.now();
    const empty = await addEmptyTenants(pg, members[0].user_id, totalKbs - tenants);
    seeding[`${totalKbs} tenants`] = round((performance.now() - started) / 1000, 1);
    const copies = await cloneIds(pg, reference.tenantId, 1, tenants - 1);
    const copyKbs = await cloneIds(pg, kbId, 1, tenants - 1);
    const targets: Target[] = [
      reference,
      ...copies.map((tenantId, i) => ({ tenantId, kbId: copyKbs[i] })),
      ...empty,
    ];

    const pair = await startPair();
    await compareQueries(pair.baseline, pair.scaled, reference, companies, 'naive', WARM_UP);
    const counted = await compareQueries(
      pair.baseline,
      pair.scaled,
      reference,
      companies,
      'naive',
      options.samples,
    );
    const tenantCount = {
      tenants: targets.length,
      baseline: percentiles(counted.baseline),
      scaled: percentiles(counted.scaled),
      p50_overhead: 0,
    };
    tenantCount.p50_overhead = overhead(tenantCount.scaled.p50_ms, tenantCount.baseline.p50_ms);
    log(`tenant count: ${JSON.stringify(tenantCount)}`);

    const memory = await touchKnowledgeBases(scaled, pair.scaled, targets, companies, options.kbTouches);
    log(`memory: ${JSON.stringify(memory)}`);

    const client = await login(scaled, tenant.member);
    const mixed = await mixedLoad(pg, client, targets.slice(0, 101), companies, options.loadSeconds);
    log(`mixed load: ${JSON.stringify(mixed)}`);
    await stopServer(scaled);

    const requestPath = await compareRequestPath(
      options,
      baselineStore,
      shared,
      await login(baselineServer!, tenant.member),
      reference,
      options.samples * 5,
    );
    servers.push(requestPath.server);
    await stopServer(requestPath.server);
    log(`request path: ${JSON.stringify(requestPath.result)}`);
    await pg.end();

    return {
      date: new Date().toISOString().slice(0, 10),
      machine: `${process.platform} ${process.arch}, node ${process.version}`,
      deployment:
        'PostgreSQL + Redis (Bull), one api process; vectors in pgvector or, without it on the server, the local PGlite fallback',
      kb: kb,
      seeding_seconds: seeding,
      isolation,
      request_path: requestPath.result,
      memory,
      tenant_count: tenantCount,
      mixed_load: mixed,
      checks: checks(isolation, requestPath.result, memory, tenantCount, mixed),
    };
  } finally {
    for (const server of servers) await stopServer(server).catch(() => undefined);
    // BENCH_KEEP_STORES=1 leaves the databases and data dirs behind for EXPLAIN and friends.
    if (process.env.BENCH_KEEP_STORES === '1')
      log(`kept: ${stores.map((s) => `${s.database} ${s.dataDir}`).join('; ')}`);
    else for (const store of stores) await store.drop(admin);
    await admin.end();
  }
}

async function cloneTenant(
  pg: PgClient,
  store: BenchStore,
  tenantId: string,
  from: number,
  to: number,
): Promise<void> {
  await cloneTenantRows(pg, tenantId, from, to);
  const vectors = await store.openVectors();
  try {
    await cloneTenantVectors(vectors, tenantId, from, to);
  } finally {
    await vectors.close();
  }
}

async function describeKb(pg: PgClient, store: BenchStore, target: Target): Promise<Record<string, number>> {
  const count = async (table: string) =>
    Number(
      (
        await pg.query<{ n: string }>(
          `SELECT count(*) AS n FROM ${table} WHERE tenant_id = $1 AND kb_id = $2`,
          [target.tenantId, target.kbId],
        )
      ).rows[0].n,
    );
  const vectors = await store.openVectors();
  try {
    const [row] = await vectors.query<{ n: string }>(
      'SELECT count(*) AS n FROM strata_vectors WHERE tenant_id = $1 AND kb_id = $2',
      [target.tenantId, target.kbId],
    );
    return {
      documents: await count('documents'),
      chunks: await count('chunks'),
      entities: await count('graph_entities'),
      relations: await count('graph_relations'),
      vectors: Number(row.n),
    };
  } finally {
    await vectors.close();
  }
}

/** A naive query on each target, four at a time. */
async function queryEach(client: Client, targets: Target[], companies: Company[], offset: number) {
  let next = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < targets.length) {
        const i = next++;
        await ask(client, targets[i], companies[(offset + i) % companies.length], 'naive');
      }
    }),
  );
}

/** RSS of the api after a query on each of the first N KBs, for each N in `milestones`. */
async function touchKnowledgeBases(
  server: BenchServer,
  client: Client,
  targets: Target[],
  companies: Company[],
  milestones: number[],
): Promise<ScaleReport['memory']> {
  // The same number of queries on one KB first, so the heap has grown to its working size and
  // what changes afterwards is due to the number of distinct KBs, not of requests served.
  await queryEach(
    client,
    Array.from({ length: Math.max(...milestones) }, () => targets[0]),
    companies,
    0,
  );
  const readings: ScaleReport['memory'] = [];
  let touched = 0;
  for (const milestone of [...milestones].sort((a, b) => a - b)) {
    await queryEach(client, targets.slice(touched, milestone), companies, touched);
    touched = milestone;
    const rss = memoryOf(server.child.pid!).rss / 1024 ** 2;
    const pglite = wasmResidentOf(server.child.pid!) / 1024 ** 2;
    const heapUsed = await heapUsedOf(server);
    readings.push({
      kbs_touched: milestone,
      rss_mb: round(rss, 1),
      pglite_mb: round(pglite, 1),
      heap_used_mb: round(heapUsed, 1),
      vs_first: 0,
    });
    log(
      `touched ${milestone} KBs: RSS ${round(rss, 1)} MB, of it PGlite ${round(pglite, 1)} MB; heap in use ${round(heapUsed, 1)} MB`,
    );
  }
  // PGlite's buffer pool fills with the pages of the KBs read (up to its shared_buffers, 128 MB):
  // a bounded cache of data, not per-KB state, so flatness is judged on the rest of the process.
  const rest = (reading: ScaleReport['memory'][number]) => reading.rss_mb - reading.pglite_mb;
  for (const reading of readings) reading.vs_first = overhead(rest(reading), rest(readings[0]));
  return readings;
}

/** The api's V8 heap in use, in MB, from its /metrics. */
async function heapUsedOf(server: BenchServer): Promise<number> {
  const text = await metricsTextAt(`${server.base}/metrics`);
  const bytes = /^strata_nodejs_heap_size_used_bytes (\S+)$/m.exec(text)?.[1];
  return bytes === undefined ? Number.NaN : Number(bytes) / 1024 ** 2;
}

/**
 * 32 clients over 100 tenants (80% queries, 20% uploads), alone and with a noisy tenant sending
 * queries as fast as it can while over its rate limit, in alternating phases (quiet, noisy,
 * quiet, noisy) so drift lands on both. Uploads go to a second KB of each tenant, so the KBs
 * queried keep their size; ingestion finishes between phases.
 */
async function mixedLoad(
  pg: PgClient,
  client: Client,
  targets: Target[],
  companies: Company[],
  seconds: number,
): Promise<ScaleReport['mixed_load']> {
  const tenants = targets.slice(0, 100);
  const noisy = targets[100];
  await pg.query('UPDATE tenants SET quotas = $2 WHERE id = $1', [noisy.tenantId, NOISY]);
  // The noisy tenant is an integration with an API key, as a client that ignores 429s usually is.
  const issued = await client.call<{ key: string }>('POST', `/api/v1/tenants/${noisy.tenantId}/api-keys`, {
    name: 'noisy integration',
    role: 'viewer',
  });
  const noisyClient = client.withToken(issued.key);
  const inboxes = new Map<string, string>();
  for (const target of tenants) {
    const kb = await client.call<{ id: string }>(
      'POST',
      `/api/v1/tenants/${target.tenantId}/knowledge-bases`,
      {
        name: 'Inbox',
      },
    );
    inboxes.set(target.tenantId, kb.id);
  }
  const random = seededRandom(11);
  let uploaded = 0;
  const totals = () => ({
    requests: 0,
    seconds: 0,
    errors: 0,
    queries: [] as number[],
    uploads: [] as number[],
  });
  const quiet = totals();
  const loud = { ...totals(), noisyRequests: 0, noisyRejected: 0 };

  const phase = async (into: ReturnType<typeof totals>, noise: typeof loud | null, duration: number) => {
    const startedAt = performance.now();
    const noisyLoop = noise
      ? closedLoop(4, duration, async () => {
          const res = await noisyClient.send('POST', `${kbPath(noisy.tenantId, noisy.kbId)}/query`, {
            query: question(companies[0]),
            mode: 'naive',
          });
          noise.noisyRequests++;
          if (res.status === 429) noise.noisyRejected++;
          else if (res.status >= 400) into.errors++;
        })
      : Promise.resolve(0);
    into.requests += await closedLoop(32, duration, async () => {
      const target = tenants[Math.floor(random() * tenants.length)];
      const company = companies[Math.floor(random() * companies.length)];
      const started = performance.now();
      if (random() < 0.2) {
        const n = ++uploaded;
        const res = await client.send(
          'POST',
          `${kbPath(target.tenantId, inboxes.get(target.tenantId)!)}/documents`,
          {
            title: `Update ${n}`,
            text: `# Update ${n}\n\n${company.leader} opened office number ${n} of ${company.name} in ${company.city}.`,
          },
        );
        into.uploads.push(performance.now() - started);
        if (res.status >= 400) into.errors++;
      } else {
        const res = await client.send('POST', `${kbPath(target.tenantId, target.kbId)}/query`, {
          query: question(company),
          mode: random() < 0.5 ? 'naive' : 'mix',
        });
        into.queries.push(performance.now() - started);
        if (res.status >= 400) into.errors++;
      }
    });
    await noisyLoop;
    into.seconds += (performance.now() - startedAt) / 1000;
    await ingestionIdle(pg);
  };

  await phase(totals(), null, Math.min(10, seconds)); // warm-up, not reported
  for (let round = 0; round < 2; round++) {
    await phase(quiet, null, seconds / 2);
    await phase(loud, loud, seconds / 2);
  }
  const { rows } = await pg.query<{ n: string }>(
    "SELECT count(*) AS n FROM documents WHERE status = 'failed'",
  );
  const report = (t: ReturnType<typeof totals>): LoadPhase => ({
    requests: t.requests,
    requests_per_second: round(t.requests / t.seconds, 1),
    errors: t.errors,
    queries: percentiles(t.queries),
    uploads: percentiles(t.uploads),
  });
  const quietReport = report(quiet);
  const loudReport = report(loud);
  return {
    clients: 32,
    tenants: tenants.length,
    seconds,
    quiet: quietReport,
    noisy: { ...loudReport, noisy_requests: loud.noisyRequests, noisy_rejected: loud.noisyRejected },
    p95_increase: overhead(loudReport.queries.p95_ms, quietReport.queries.p95_ms),
    failed_documents: Number(rows[0].n),
  };
}

async function ingestionIdle(pg: PgClient): Promise<void> {
  for (;;) {
    const { rows } = await pg.query<{ n: string }>(
      "SELECT count(*) AS n FROM documents WHERE status IN ('pending', 'processing')",
    );
    if (Number(rows[0].n) === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/**
 * The KB read route through the whole request path (authentication, tenant resolution, policy,
 * audit, rate limit) against the same handler served bare by the same code, on the same database.
 */
async function compareRequestPath(
  options: ScaleOptions,
  store: BenchStore,
  shared: SharedEnv,
  guarded: Client,
  target: Target,
  samples: number,
): Promise<{ server: BenchServer; result: ScaleReport['request_path'] }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'strata-scale-bare-'));
  const server = await startServer(options.benchMain, { ...store.env(shared, 'bare'), DATA_DIR: dataDir }, [
    'serve-bare-read',
  ]);
  try {
    const bare = new Client(server.base);
    const routes = {
      guarded: () => guarded.call('GET', kbPath(target.tenantId, target.kbId)),
      bare: () => bare.call('GET', `/api/v1/bare/tenants/${target.tenantId}/knowledge-bases/${target.kbId}`),
    };
    await interleaved(routes, 50);
    const times = await interleaved(routes, samples);
    const throughput = { guarded: 0, bare: 0 };
    for (let round = 0; round < 3; round++) {
      for (const name of ['guarded', 'bare'] as const) {
        throughput[name] += await closedLoop(8, 5, async () => void (await routes[name]()));
      }
    }
    const rps = (name: 'guarded' | 'bare') => round(throughput[name] / 15, 1);
    const result = {
      guarded: { ...percentiles(times.guarded), requests_per_second: rps('guarded') },
      bare: { ...percentiles(times.bare), requests_per_second: rps('bare') },
      p50_overhead: 0,
      rps_overhead: 0,
    };
    result.p50_overhead = overhead(result.guarded.p50_ms, result.bare.p50_ms);
    result.rps_overhead = overhead(result.bare.requests_per_second, result.guarded.requests_per_second);
    return { server, result: { ...result, round_trip_ms: await roundTrips(store, shared) } };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** p50 of `SELECT 1` on the store's database and of a Redis PING, 500 each. */
async function roundTrips(
  store: BenchStore,
  shared: SharedEnv,
): Promise<{ postgres: number; redis: number }> {
  const pg = await store.connect();
  const redis = new Redis(shared.redisUrl);
  try {
    const times = await interleaved({ postgres: () => pg.query('SELECT 1'), redis: () => redis.ping() }, 500);
    return { postgres: percentiles(times.postgres).p50_ms, redis: percentiles(times.redis).p50_ms };
  } finally {
    await pg.end();
    redis.disconnect();
  }
}

const percent = (fraction: number) => `${round(fraction * 100, 1)}%`;

function checks(
  isolation: IsolationRow[],
  requestPath: ScaleReport['request_path'],
  memory: ScaleReport['memory'],
  tenantCount: ScaleReport['tenant_count'],
  mixed: ScaleReport['mixed_load'],
): Check[] {
  const list: Check[] = [];
  const largest = Math.max(...isolation.map((row) => row.tenants));
  for (const row of isolation.filter((r) => r.tenants === largest)) {
    list.push({
      figure: `isolation overhead, ${row.mode} p50 at ${row.tenants} tenants`,
      measured: percent(row.p50_overhead),
      target: '< 2%',
      pass: row.p50_overhead < 0.02,
    });
    list.push({
      figure: `isolation overhead, ${row.mode} p95 at ${row.tenants} tenants`,
      measured: percent(row.p95_overhead),
      target: '< 2%',
      pass: row.p95_overhead < 0.02,
    });
    list.push({
      figure: `same references, ${row.mode} at ${row.tenants} tenants`,
      measured: percent(row.same_references),
      target: '100%',
      pass: row.same_references === 1,
    });
  }
  list.push({
    figure: 'request-path overhead, p50 (guarded vs bare)',
    measured: percent(requestPath.p50_overhead),
    target: '< 10%',
    pass: requestPath.p50_overhead < 0.1,
  });
  const last = memory[memory.length - 1];
  list.push({
    figure: `api RSS outside PGlite after ${last.kbs_touched} KBs vs after ${memory[0].kbs_touched}`,
    measured: percent(last.vs_first),
    target: 'within 10%',
    pass: Math.abs(last.vs_first) <= 0.1,
  });
  list.push({
    figure: `query p50, ${tenantCount.tenants} tenants vs 1`,
    measured: percent(tenantCount.p50_overhead),
    target: 'within 10%',
    pass: Math.abs(tenantCount.p50_overhead) <= 0.1,
  });
  list.push({
    figure: 'mixed load errors (32 clients, 100 tenants)',
    measured: String(mixed.quiet.errors + mixed.noisy.errors + mixed.failed_documents),
    target: '0',
    pass: mixed.quiet.errors + mixed.noisy.errors + mixed.failed_documents === 0,
  });
  list.push({
    figure: "others' query p95 with a noisy tenant over its limit",
    measured: percent(mixed.p95_increase),
    target: '<= 10%',
    pass: mixed.p95_increase <= 0.1,
  });
  return list;
}

export function scaleTable(report: ScaleReport): string {
  const iso = report.isolation.map(
    (r) =>
      `| ${r.tenants} | ${r.mode} | ${r.baseline.p50_ms} / ${r.baseline.p95_ms} | ${r.scaled.p50_ms} / ${r.scaled.p95_ms} | ${percent(r.p50_overhead)} / ${percent(r.p95_overhead)} | ${percent(r.same_references)} |`,
  );
  const rp = report.request_path;
  const ml = report.mixed_load;
  return [
    `Multi-tenant scale (${report.date}, ${report.machine}); ${report.deployment}. The KB: ${Object.entries(
      report.kb,
    )
      .map(([k, v]) => `${v} ${k}`)
      .join(', ')}.`,
    '',
    '| check | measured | target | result |',
    '|---|---|---|---|',
    ...report.checks.map(
      (c) => `| ${c.figure} | ${c.measured} | ${c.target} | ${c.pass ? 'PASS' : 'MISS'} |`,
    ),
    '',
    'Isolation: the same query on the same KB in a store with only that KB (baseline) and in a store with N tenants holding a copy each; p50 / p95 ms.',
    '',
    '| tenants | mode | baseline | N tenants | overhead p50 / p95 | same references |',
    '|---|---|---|---|---|---|',
    ...iso,
    '',
    `Request path: KB read through authentication, tenant resolution, policy, audit and rate limit, ${rp.guarded.p50_ms} ms p50 and ${rp.guarded.requests_per_second} requests/s (8 clients), against the same handler bare, ${rp.bare.p50_ms} ms and ${rp.bare.requests_per_second} requests/s; one round trip from Node takes ${rp.round_trip_ms.postgres} ms to PostgreSQL and ${rp.round_trip_ms.redis} ms to Redis (p50).`,
    '',
    `Memory (RSS of the api, of it PGlite's WebAssembly memory; the V8 heap in use): ${report.memory.map((m) => `${m.kbs_touched} KBs ${m.rss_mb} MB (${m.pglite_mb} MB; heap ${m.heap_used_mb} MB)`).join(', ')}.`,
    '',
    `Tenant count: naive p50 ${report.tenant_count.baseline.p50_ms} ms with 1 tenant, ${report.tenant_count.scaled.p50_ms} ms with ${report.tenant_count.tenants}.`,
    '',
    `Mixed load, ${ml.clients} clients over ${ml.tenants} tenants for ${ml.seconds} s alone and ${ml.seconds} s beside a noisy tenant, in alternating halves: ${ml.quiet.requests_per_second} requests/s, query p95 ${ml.quiet.queries.p95_ms} ms alone; ${ml.noisy.requests_per_second} requests/s, query p95 ${ml.noisy.queries.p95_ms} ms with a noisy tenant (${ml.noisy.noisy_requests} requests, ${ml.noisy.noisy_rejected} answered 429); ${ml.failed_documents} failed documents.`,
    '',
    `Seeding (s): ${Object.entries(report.seeding_seconds)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}.`,
  ].join('\n');
}
