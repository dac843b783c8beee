import { PGlite } from '@electric-sql/pglite';
import { randomBytes, randomUUID } from 'node:crypto';
import { Client as PgClient } from 'pg';
import {
  applyMigrations,
  type GraphEntity,
  type GraphRelation,
  type GraphStore,
  Neo4jGraphStore,
  PgGraphStore,
  relationPair,
  type SqlClient,
} from '@strata/storage';
import { TenantContext } from '@strata/tenancy';
import { seededRandom } from './corpus';

export interface GraphOptions {
  entities: number;
  /** Relations each new entity makes to earlier ones (preferential attachment). */
  linksPerEntity: number;
  samples: number;
  maxNodes: number;
  postgresUrl: string;
  neo4jUrl: string | null;
}

interface Latency {
  p50: number;
  p95: number;
}

export interface StoreResult {
  store: string;
  loadSeconds: number;
  entities: number;
  relations: number;
  /** Neighbourhood latency (ms) by depth; depth 1 is the baseline of the ratios. */
  depths: Record<string, Latency & { nodes: number; ratio: number }>;
  labels: Latency;
}

export interface GraphReport {
  date: string;
  machine: string;
  options: Omit<GraphOptions, 'postgresUrl' | 'neo4jUrl'>;
  stores: StoreResult[];
  skipped: string[];
}

const BATCH = 1000;

/** A scale-free graph: each entity links to earlier ones picked in proportion to their degree. */
function generateGraph(
  kbId: string,
  options: GraphOptions,
): { entities: GraphEntity[]; relations: GraphRelation[] } {
  const random = seededRandom(7);
  const entities: GraphEntity[] = [];
  const endpoints: number[] = [];
  const pairs = new Map<string, [string, string]>();
  for (let i = 0; i < options.entities; i++) {
    const key = `entity ${i}`;
    entities.push({
      id: randomUUID(),
      key,
      name: `Entity ${i}`,
      type: ['person', 'organization', 'location', 'concept'][i % 4],
      description: `Entity ${i} takes part in the synthetic benchmark graph.`,
      sourceChunkIds: [randomUUID()],
    });
    for (let l = 0; l < Math.min(options.linksPerEntity, i); l++) {
      const other =
        endpoints.length > 0 && random() < 0.8
          ? endpoints[Math.floor(random() * endpoints.length)]
          : Math.floor(random() * i);
      if (other === i) continue;
      const [a, b] = relationPair(key, `entity ${other}`);
      pairs.set(`${a}|${b}`, [a, b]);
      endpoints.push(i, other);
    }
  }
  const relations = [...pairs.values()].map(([sourceKey, targetKey]) => ({
    id: randomUUID(),
    sourceKey,
    targetKey,
    keywords: 'related',
    description: `${sourceKey} relates to ${targetKey}.`,
    weight: 1,
    sourceChunkIds: [randomUUID()],
  }));
  void kbId;
  return { entities, relations };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function timed(
  samples: number,
  run: (i: number) => Promise<unknown>,
): Promise<Latency & { last: unknown }> {
  const times: number[] = [];
  let last: unknown = null;
  for (let i = 0; i < samples; i++) {
    const started = performance.now();
    last = await run(i);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { p50: round(percentile(times, 50)), p95: round(percentile(times, 95)), last };
}

const round = (n: number) => Math.round(n * 100) / 100;

async function measure(
  name: string,
  store: GraphStore,
  options: GraphOptions,
  settle: () => Promise<void> = async () => undefined,
): Promise<StoreResult> {
  const tenantId = randomUUID();
  const kbId = randomUUID();
  const scope = TenantContext.forJob({ tenantId, kbId, jobName: 'bench', jobId: 'graph' }).kbScope();
  const { entities, relations } = generateGraph(kbId, options);
  const loadStarted = performance.now();
  for (let i = 0; i < entities.length; i += BATCH)
    await store.upsertEntities(scope, entities.slice(i, i + BATCH));
  const entitiesSeconds = round((performance.now() - loadStarted) / 1000);
  for (let i = 0; i < relations.length; i += BATCH)
    await store.upsertRelations(scope, relations.slice(i, i + BATCH));
  const loadSeconds = round((performance.now() - loadStarted) / 1000);
  process.stdout.write(`  loaded in ${loadSeconds} s (entities ${entitiesSeconds} s)\n`);
  await settle();
  const random = seededRandom(11);
  const starts = Array.from(
    { length: options.samples },
    () => `entity ${Math.floor(random() * entities.length)}`,
  );
  // Warm up caches and plans the same way for every depth.
  for (const key of starts.slice(0, 10))
    await store.neighbourhood(scope, { startKey: key, maxDepth: 1, maxNodes: options.maxNodes });
  const depths: StoreResult['depths'] = {};
  let baseline = 0;
  for (const depth of [1, 2, 3]) {
    let nodes = 0;
    const latency = await timed(options.samples, async (i) => {
      const found = await store.neighbourhood(scope, {
        startKey: starts[i],
        maxDepth: depth,
        maxNodes: options.maxNodes,
      });
      nodes += found.entities.length;
      return found;
    });
    if (depth === 1) baseline = latency.p50;
    depths[`depth ${depth}`] = {
      p50: latency.p50,
      p95: latency.p95,
      nodes: Math.round(nodes / options.samples),
      ratio: round(latency.p50 / baseline),
    };
  }
  const labels = await timed(options.samples, (i) => store.labels(scope, `${i % 100}`, 20));
  const counted = await store.count(scope);
  await store.deleteKnowledgeBase(scope);
  return {
    store: name,
    loadSeconds,
    entities: counted.entities,
    relations: counted.relations,
    depths,
    labels: { p50: labels.p50, p95: labels.p95 },
  };
}

async function pglite(): Promise<SqlClient> {
  const db = await PGlite.create();
  const client: SqlClient = {
    query: async <T>(sql: string, params?: unknown[]) => (await db.query<T>(sql, params)).rows,
    close: () => db.close(),
  };
  await applyMigrations(client);
  return client;
}

async function postgres(url: string): Promise<SqlClient> {
  const name = `strata_bench_${randomBytes(4).toString('hex')}`;
  const admin = new PgClient({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const target = new URL(url);
  target.pathname = `/${name}`;
  const client = new PgClient({ connectionString: target.toString() });
  await client.connect();
  const sql: SqlClient = {
    query: async <T>(text: string, params?: unknown[]) => (await client.query(text, params)).rows as T[],
    close: async () => {
      await client.end();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
  await applyMigrations(sql);
  return sql;
}

export async function graphBenchmark(options: GraphOptions): Promise<GraphReport> {
  const stores: StoreResult[] = [];
  const skipped: string[] = [];
  const run = async (name: string, open: () => Promise<GraphStore>, settle?: () => Promise<void>) => {
    process.stdout.write(`graph: ${name}…\n`);
    const store = await open();
    try {
      stores.push(await measure(name, store, options, settle));
    } finally {
      await store.close();
    }
  };
  // After a bulk load the tables are measured as autovacuum leaves them: analysed.
  let sql: SqlClient | null = null;
  const analyse = async () => void (await sql!.query('ANALYZE graph_entities, graph_relations'));
  await run(
    'postgres tables, embedded PGlite',
    async () => new PgGraphStore((sql = await pglite()), 'pglite'),
    analyse,
  );
  try {
    await run(
      'postgres tables, PostgreSQL server',
      async () => new PgGraphStore((sql = await postgres(options.postgresUrl)), 'postgres'),
      analyse,
    );
  } catch (error) {
    skipped.push(`PostgreSQL at ${options.postgresUrl}: ${(error as Error).message}`);
  }
  if (options.neo4jUrl) {
    await run(
      'neo4j',
      async () =>
        new Neo4jGraphStore({
          url: options.neo4jUrl!,
          user: process.env.NEO4J_USER ?? 'neo4j',
          password: process.env.NEO4J_PASSWORD ?? null,
          database: process.env.NEO4J_DATABASE ?? null,
        }),
    );
  } else {
    skipped.push('Neo4j: NEO4J_URL is not set');
  }
  const { postgresUrl: _p, neo4jUrl: _n, ...shown } = options;
  void _p;
  void _n;
  return {
    date: new Date().toISOString().slice(0, 10),
    machine: `${process.platform} ${process.arch}, node ${process.version}`,
    options: shown,
    stores,
    skipped,
  };
}

export function graphTable(report: GraphReport): string {
  const rows = report.stores.flatMap((s) =>
    Object.entries(s.depths).map(
      ([depth, d]) => `| ${s.store} | ${depth} | ${d.nodes} | ${d.p50} | ${d.p95} | ${d.ratio} |`,
    ),
  );
  const loads = report.stores.map(
    (s) =>
      `| ${s.store} | ${s.entities} | ${s.relations} | ${s.loadSeconds} | ${s.labels.p50} | ${s.labels.p95} |`,
  );
  return [
    `Subgraph latency, ${report.options.entities.toLocaleString('en')} entities, max_nodes ${report.options.maxNodes}, ${report.options.samples} random starts (${report.date}, ${report.machine}); ratio = p50 against depth 1 in the same run.`,
    '',
    '| store | depth | nodes (avg) | p50 ms | p95 ms | ratio |',
    '|---|---|---|---|---|---|',
    ...rows,
    '',
    '| store | entities | relations | load s | labels p50 ms | labels p95 ms |',
    '|---|---|---|---|---|---|',
    ...loads,
    ...(report.skipped.length ? ['', ...report.skipped.map((s) => `Skipped: ${s}.`)] : []),
  ].join('\n');
}
