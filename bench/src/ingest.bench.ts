import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client as PgClient } from 'pg';
import type { GraphMergeStep, IngestStep } from '@strata/core';
import { normalizeText } from '@strata/documents';
import { EmbeddedExtractor } from '@strata/graph';
import { chunkText } from '@strata/ingestion';
import { LexicalEmbedder } from '@strata/providers';
import { CorpusDocument, generateCorpus } from './corpus';
import { BENCH_ADMIN, benchTenant, waitUntilIngested, waitUntilSearchable } from './bench-tenant';
import { type Fairness, measureFairness } from './ingest/fairness';
import { measureIdle, probesOf, type Responsiveness, watchWhileBusy } from './ingest/responsiveness';
import { stepProfileAt, type StepProfile } from './ingest/step-profile';
import {
  connectionSnapshotAt,
  type ConnectionTimes,
  connectionTimesBetween,
  type LaneTimes,
} from './ingest/connection-times';
import { longestStatements, nextRefresh, type StatementTime, topStatements } from './ingest/statement-times';
import {
  Client,
  cpuSecondsOf,
  cpuSecondsOfCommand,
  freePort,
  memoryOf,
  startServer,
  startWorker,
  stopServer,
} from './server';

const UPLOAD_BATCH = 10;
/** Documents the bulk tenant uploads in the fairness measurement. */
const FAIRNESS_BULK = 2000;

export interface IngestOptions {
  apiMain: string;
  /** The worker app: server mode runs its jobs there, as the target names it (one api, one worker). */
  workerMain: string;
  megabytes: number;
  postgresUrl: string;
  redisUrl: string;
}

/** CPU seconds of the processes a run involves (see ModeResult.cpu_by_process). */
export type ProcessCpu = Partial<Record<'api' | 'worker' | 'postgresql' | 'bench', number>>;

const cpuBetween = (before: ProcessCpu, after: ProcessCpu): ProcessCpu =>
  Object.fromEntries(
    Object.entries(after).map(([name, seconds]) => [
      name,
      round(seconds - (before[name as keyof ProcessCpu] ?? 0)),
    ]),
  );

export interface ModeResult {
  mode: string;
  documents: number;
  failed: number;
  graph_failed: number;
  chunks: number;
  /** From the first upload until every document is searchable (processed). */
  searchable_seconds: number;
  searchable_chunks_per_second: number;
  /** From the first upload until the graph has caught up (every graph stage over). */
  graph_seconds: number;
  graph_chunks_per_second: number;
  megabytes_per_second: number;
  idle_rss_mb: number;
  peak_rss_mb: number;
  /**
   * CPU seconds the api (and worker) processes used from the first upload until the graph caught
   * up: all threads, and the main (HTTP) threads alone. PostgreSQL's and Redis's processes are
   * not counted.
   */
  cpu_seconds: { total: number; main: number };
  cpu_ms_per_chunk: number;
  /**
   * CPU seconds by process from the first upload until searchable, and from then until the graph
   * caught up: the api, the worker (server mode), the PostgreSQL server's processes on this
   * machine (server mode) and this benchmark's own process (uploads, probes, polls).
   */
  cpu_by_process: { until_searchable: ProcessCpu; after_searchable: ProcessCpu };
  /** Health probe, KB reads and another tenant's queries while it ingests, against idle. */
  responsiveness: Responsiveness;
  /** A small tenant's one document beside another tenant's bulk upload, against idle (not in comparisons). */
  fairness: Fairness | null;
  /** The issue's targets for this mode, chunks per second. */
  targets: { searchable: number; graph: number | null };
  /**
   * Database connections from the first upload until the graph caught up: the API's (its requests'
   * waits) and, in server mode, the worker's (the jobs' holds).
   */
  connections: { api: ConnectionTimes; worker: ConnectionTimes | null };
  /** The same for the process that ran the jobs, apart: until searchable, and from then on. */
  jobs_connections: { until_searchable: ConnectionTimes; after_searchable: ConnectionTimes };
  /** Where the ingest jobs and graph merges of the process that ran the jobs spent their time. */
  steps: StepProfile;
  /** Embedded only: the statements the database spent most time on until the graph caught up. */
  top_statements: StatementTime[] | null;
  /** Embedded only: the statements with most executions over 30 ms (a request arriving waits for the rest). */
  longest_statements: StatementTime[] | null;
}

interface Baseline {
  description: string;
  chunks: number;
  seconds: number;
  chunks_per_second: number;
  /** CPU the stage used in this process (one thread), per chunk. */
  cpu_ms_per_chunk: number;
}

export interface IngestReport {
  benchmark: 'ingest';
  date: string;
  corpus: { documents: number; megabytes: number };
  /** What making documents searchable costs with no storage, and what extraction costs alone. */
  baseline: { searchable: Baseline; graph: Baseline };
  modes: ModeResult[];
  skipped: Array<{ mode: string; reason: string }>;
}

/**
 * The two stages' CPU work in this process with no storage, no HTTP and no queue: normalise,
 * chunk and embed with the lexical embedder (what makes a document searchable), then the
 * embedded extractor over the same chunks (what builds the graph). What the service adds to each
 * is measured against it.
 */
async function baseline(corpus: CorpusDocument[]): Promise<IngestReport['baseline']> {
  const embedder = new LexicalEmbedder();
  const extractor = new EmbeddedExtractor();
  let started = process.hrtime.bigint();
  let cpu = process.cpuUsage();
  const chunked: string[][] = [];
  for (const doc of corpus) {
    const pieces = chunkText(normalizeText(doc.text), { chunkSize: 1200, chunkOverlap: 100 });
    await embedder.embed(pieces.map((p) => p.content));
    chunked.push(pieces.map((p) => p.content));
  }
  const chunks = chunked.reduce((sum, c) => sum + c.length, 0);
  const searchableSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const searchableCpu = cpuMsOf(process.cpuUsage(cpu));
  started = process.hrtime.bigint();
  cpu = process.cpuUsage();
  for (const pieces of chunked) for (const piece of pieces) await extractor.extract(piece);
  const graphSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const graphCpu = cpuMsOf(process.cpuUsage(cpu));
  return {
    searchable: {
      description: 'normalise + chunk + lexical embed, one process, no storage',
      chunks,
      seconds: round(searchableSeconds),
      chunks_per_second: round(chunks / searchableSeconds),
      cpu_ms_per_chunk: round(searchableCpu / chunks),
    },
    graph: {
      description: 'embedded graph extraction of the same chunks, one process, no storage',
      chunks,
      seconds: round(graphSeconds),
      chunks_per_second: round(chunks / graphSeconds),
      cpu_ms_per_chunk: round(graphCpu / chunks),
    },
  };
}

const cpuMsOf = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1000;

/** The builds one run starts: an api, and the worker that runs the jobs in server mode. */
export interface Build {
  apiMain: string;
  workerMain: string;
}

export interface RunSettings {
  withWorker: boolean;
  measureFairness: boolean;
}

export async function runMode(
  mode: string,
  build: Build,
  corpus: CorpusDocument[],
  env: Record<string, string>,
  targets: ModeResult['targets'],
  settings: RunSettings,
): Promise<ModeResult> {
  const { withWorker } = settings;
  const dataDir = mkdtempSync(join(tmpdir(), `strata-bench-${mode}-`));
  const statementsFile = `${dataDir}-statements.json`;
  const shared = {
    DATA_DIR: dataDir,
    ...(env.DATABASE_URL ? {} : { EMBEDDED_STATEMENT_STATS_FILE: statementsFile }),
    ...env,
    ...(withWorker ? { RUN_JOBS_IN_API: 'false' } : {}),
  };
  const server = await startServer(build.apiMain, {
    ADMIN_EMAIL: BENCH_ADMIN.email,
    ADMIN_PASSWORD: BENCH_ADMIN.password,
    ...shared,
  });
  const workerMetricsPort = withWorker ? await freePort() : 0;
  const worker = withWorker
    ? await startWorker(build.workerMain, shared, workerMetricsPort).catch(async (error) => {
        await stopServer(server);
        throw error;
      })
    : null;
  // CPU and memory of the api and, where there is one, the worker, added up field by field.
  const processes = [server, ...(worker ? [worker] : [])];
  const summed = <K extends string>(read: (pid: number) => Record<K, number>): Record<K, number> => {
    const [first, ...rest] = processes.map((p) => read(p.child.pid!));
    for (const values of rest) for (const key of Object.keys(first) as K[]) first[key] += values[key];
    return first;
  };
  const cpu = () => summed(cpuSecondsOf);
  const processCpu = (): ProcessCpu => ({
    api: cpuSecondsOf(server.child.pid!).total,
    ...(worker ? { worker: cpuSecondsOf(worker.child.pid!).total } : {}),
    ...(env.DATABASE_URL ? { postgresql: cpuSecondsOfCommand('postgres') } : {}),
    bench: cpuSecondsOf(process.pid).total,
  });
  const memory = () => summed(memoryOf);
  try {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const idle = memory().rss;
    const tenant = await benchTenant(server);
    const { admin, tenantId, createKnowledgeBase } = tenant;
    const kbId = await createKnowledgeBase();
    const kbPath = `/api/v1/tenants/${tenantId}/knowledge-bases/${kbId}`;
    const documents = `${kbPath}/documents`;
    // Another KB of another tenant, queried while the corpus goes in.
    const other = await benchTenant(server);
    const otherKbPath = `/api/v1/tenants/${other.tenantId}/knowledge-bases/${await other.createKnowledgeBase()}`;
    await other.admin.call('POST', `${otherKbPath}/documents`, {
      title: 'Ferries',
      text: 'The ferries leave the pier at seven every morning and return at six.',
    });
    await waitUntilIngested(other.admin, `${otherKbPath}/documents`);
    const probes = probesOf(new Client(server.base), admin, kbPath, other.admin, otherKbPath);
    const stopWatching = watchWhileBusy(probes, await measureIdle(probes));

    const apiMetrics = `${server.base}/metrics`;
    const workerMetrics = worker ? `http://127.0.0.1:${workerMetricsPort}/metrics` : null;
    const connectionsBefore = {
      api: await connectionSnapshotAt(apiMetrics),
      worker: workerMetrics ? await connectionSnapshotAt(workerMetrics) : null,
    };
    const started = process.hrtime.bigint();
    const cpuBefore = cpu();
    const byProcessBefore = processCpu();
    for (let i = 0; i < corpus.length; i += UPLOAD_BATCH) {
      const form = new FormData();
      for (const doc of corpus.slice(i, i + UPLOAD_BATCH)) {
        form.append('files', new Blob([doc.text], { type: 'text/markdown' }), doc.name);
      }
      await admin.call('POST', documents, form);
    }
    let peak = memory().peak;
    const sample = () => {
      peak = Math.max(peak, memory().peak);
    };
    await waitUntilSearchable(admin, documents, sample);
    const searchableSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    const byProcessAtSearchable = processCpu();
    const jobsMetrics = workerMetrics ?? apiMetrics;
    const jobsAtSearchable = await connectionSnapshotAt(jobsMetrics);
    await waitUntilIngested(admin, documents, sample);
    const graphSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    const cpuAfter = cpu();
    const byProcessAfter = processCpu();
    const apiAfter = await connectionSnapshotAt(apiMetrics);
    const workerAfter = workerMetrics ? await connectionSnapshotAt(workerMetrics) : null;
    const connections = {
      api: connectionTimesBetween(connectionsBefore.api, apiAfter),
      worker: workerAfter ? connectionTimesBetween(connectionsBefore.worker!, workerAfter) : null,
    };
    const jobsConnections = {
      until_searchable: connectionTimesBetween(
        connectionsBefore.worker ?? connectionsBefore.api,
        jobsAtSearchable,
      ),
      after_searchable: connectionTimesBetween(jobsAtSearchable, workerAfter ?? apiAfter),
    };
    const responsiveness = await stopWatching();
    sample();
    const steps = await stepProfileAt(jobsMetrics);
    const statements = env.DATABASE_URL ? null : await statementsAfterRefresh(statementsFile);
    const fairness = settings.measureFairness
      ? await measureFairness(await benchTenant(server), await benchTenant(server), FAIRNESS_BULK)
      : null;

    let chunks = 0;
    let failed = 0;
    let graphFailed = 0;
    let count = 0;
    let cursor: string | null = null;
    do {
      const page: {
        items: Array<{
          chunk_count: number;
          status: string;
          error: unknown;
          graph_status: string;
          graph_error: unknown;
        }>;
        next_cursor: string | null;
      } = await admin.call('GET', `${documents}?limit=200${cursor ? `&cursor=${cursor}` : ''}`);
      for (const doc of page.items) {
        chunks += doc.chunk_count;
        count++;
        if (doc.status === 'failed') {
          failed++;
          log(`${mode}: a document failed: ${JSON.stringify(doc.error)}`);
        }
        if (doc.graph_status === 'failed') {
          graphFailed++;
          log(`${mode}: a document's graph failed: ${JSON.stringify(doc.graph_error)}`);
        }
      }
      cursor = page.next_cursor;
    } while (cursor);
    const bytes = corpus.reduce((sum, d) => sum + Buffer.byteLength(d.text), 0);
    return {
      mode,
      documents: count,
      failed,
      graph_failed: graphFailed,
      chunks,
      searchable_seconds: round(searchableSeconds),
      searchable_chunks_per_second: round(chunks / searchableSeconds),
      graph_seconds: round(graphSeconds),
      graph_chunks_per_second: round(chunks / graphSeconds),
      megabytes_per_second: round(bytes / 1024 / 1024 / searchableSeconds),
      responsiveness,
      fairness,
      targets,
      connections,
      jobs_connections: jobsConnections,
      steps,
      top_statements: statements?.top ?? null,
      longest_statements: statements?.longest ?? null,
      idle_rss_mb: round(idle / 1024 / 1024),
      peak_rss_mb: round(peak / 1024 / 1024),
      cpu_seconds: {
        total: round(cpuAfter.total - cpuBefore.total),
        main: round(cpuAfter.main - cpuBefore.main),
      },
      cpu_ms_per_chunk: round(((cpuAfter.total - cpuBefore.total) * 1000) / chunks),
      cpu_by_process: {
        until_searchable: cpuBetween(byProcessBefore, byProcessAtSearchable),
        after_searchable: cpuBetween(byProcessAtSearchable, byProcessAfter),
      },
    };
  } catch (error) {
    const exit = server.child.exitCode ?? server.child.signalCode;
    throw new Error(
      `${mode}: ${(error as Error).message} (${String((error as Error).cause ?? 'no cause')})${exit !== null ? ` (the API exited: ${exit})` : ''}\n` +
        `last API output:\n${server.output().slice(-4000)}`,
    );
  } finally {
    if (worker) await stopServer(worker);
    await stopServer(server);
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(statementsFile, { force: true });
  }
}

/**
 * The embedded database's heaviest statements and those with most long executions, once its next
 * refresh of the file (every 2 s) is in.
 */
async function statementsAfterRefresh(
  file: string,
): Promise<{ top: StatementTime[]; longest: StatementTime[] }> {
  await nextRefresh();
  return { top: topStatements(file, 12), longest: longestStatements(file, 12) };
}

export const EMBEDDED_MODE = 'embedded (PGlite, in-process queue)';
export const SERVER_MODE =
  'postgres + redis (Bull, vectors in pgvector or the local fallback), one api and one worker process';
export const TARGETS: Record<string, ModeResult['targets']> = {
  [EMBEDDED_MODE]: { searchable: 200, graph: 60 },
  [SERVER_MODE]: { searchable: 400, graph: null },
};

export function benchCorpus(megabytes: number): CorpusDocument[] {
  return generateCorpus(megabytes * 1024 * 1024, 100 * 1024);
}

/** Ingests a generated corpus of `megabytes` MB, embedded and (when reachable) on PostgreSQL + Redis. */
export async function ingestBenchmark(options: IngestOptions): Promise<IngestReport> {
  const corpus = benchCorpus(options.megabytes);
  const report: IngestReport = {
    benchmark: 'ingest',
    date: new Date().toISOString(),
    corpus: {
      documents: corpus.length,
      megabytes: round(corpus.reduce((sum, d) => sum + Buffer.byteLength(d.text), 0) / 1024 / 1024),
    },
    baseline: await baseline(corpus),
    modes: [],
    skipped: [],
  };
  log(
    `corpus: ${report.corpus.documents} documents, ${report.corpus.megabytes} MB; baseline ${report.baseline.searchable.chunks_per_second} chunks/s searchable, ${report.baseline.graph.chunks_per_second} chunks/s extraction`,
  );
  const settings = { measureFairness: true };
  report.modes.push(
    await runMode(EMBEDDED_MODE, options, corpus, {}, TARGETS[EMBEDDED_MODE], {
      ...settings,
      withWorker: false,
    }),
  );
  log(`embedded: ${JSON.stringify(report.modes.at(-1))}`);
  const server = await inServerDatabase(options, (env) =>
    runMode(SERVER_MODE, options, corpus, env, TARGETS[SERVER_MODE], { ...settings, withWorker: true }),
  );
  if ('unreachable' in server) report.skipped.push({ mode: 'postgres + redis', reason: server.unreachable });
  else {
    report.modes.push(server.result);
    log(`postgres: ${JSON.stringify(server.result)}`);
  }
  return report;
}

/**
 * Runs `work` with the environment of server mode on a database of its own, created for it on the
 * PostgreSQL server and dropped after; or says why the server could not be reached.
 */
export async function inServerDatabase<T>(
  options: Pick<IngestOptions, 'postgresUrl' | 'redisUrl'>,
  work: (env: Record<string, string>) => Promise<T>,
): Promise<{ result: T } | { unreachable: string }> {
  const database = `strata_bench_${randomBytes(4).toString('hex')}`;
  const admin = new PgClient({ connectionString: options.postgresUrl, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch (error) {
    return { unreachable: `PostgreSQL unreachable: ${(error as Error).message}` };
  }
  try {
    await admin.query(`CREATE DATABASE ${database}`);
    const url = new URL(options.postgresUrl);
    url.pathname = `/${database}`;
    const result = await work({
      DATABASE_URL: url.toString(),
      REDIS_URL: options.redisUrl,
      JWT_SECRET: randomBytes(32).toString('hex'),
      MASTER_KEY: randomBytes(32).toString('hex'),
      JOB_QUEUE_PREFIX: database,
    });
    return { result };
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
  }
}

const INGEST_STEPS: IngestStep[] = [
  'claim',
  'read',
  'prepare',
  'embed',
  'chunk-write',
  'vector-write',
  'finish',
  'pack',
];
const MERGE_STEPS: GraphMergeStep[] = [
  'extraction-wait',
  'mentions',
  'read',
  'graph',
  'vector-lookup',
  'embed',
  'vector-write',
];
const MERGED_KINDS = [
  'entity first-mentions',
  'entity read-back',
  'relation first-mentions',
  'relation read-back',
];

export function ingestTable(report: IngestReport): string {
  const { searchable, graph } = report.baseline;
  const verdict = (value: number, target: number | null) =>
    target === null ? '' : ` (target ${target}: ${value >= target ? 'PASS' : 'MISS'})`;
  const lines = [
    `Ingest benchmark, ${report.date.slice(0, 10)}: ${report.corpus.documents} generated markdown documents, ${report.corpus.megabytes} MB, default chunking (1200/100 tokens), lexical embedder, embedded graph extraction.`,
    '',
    '| run | chunks | searchable s | searchable chunks/s | vs baseline | graph caught up s | graph chunks/s | vs baseline | idle RSS MB | peak RSS MB |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    `| baseline: ${searchable.description}; then ${graph.description} | ${searchable.chunks} | ${searchable.seconds} | ${searchable.chunks_per_second} | 1.00 | ${graph.seconds} | ${graph.chunks_per_second} | 1.00 | | |`,
    ...report.modes.map(
      (m) =>
        `| ${m.mode} | ${m.chunks} | ${m.searchable_seconds} | ${m.searchable_chunks_per_second} | ${round(m.searchable_chunks_per_second / searchable.chunks_per_second)} | ${m.graph_seconds} | ${m.graph_chunks_per_second} | ${round(m.graph_chunks_per_second / graph.chunks_per_second)} | ${m.idle_rss_mb} | ${m.peak_rss_mb} |`,
    ),
    ...report.skipped.map((s) => `| ${s.mode}: skipped, ${s.reason} | | | | | | | | | |`),
    '',
    ...report.modes.map(
      (m) =>
        `- ${m.mode}: searchable at ${m.searchable_chunks_per_second} chunks/s${verdict(m.searchable_chunks_per_second, m.targets.searchable)}, graph caught up at ${m.graph_chunks_per_second} chunks/s${verdict(m.graph_chunks_per_second, m.targets.graph)}`,
    ),
    '',
    `CPU the service used from the first upload until the graph caught up (user + system, every thread of the api and worker processes; PostgreSQL's and Redis's own processes not counted), against the baseline's CPU for both stages (${round(searchable.cpu_ms_per_chunk + graph.cpu_ms_per_chunk)} ms per chunk, one thread):`,
    '',
    '| run | CPU s | of it main threads s | CPU ms per chunk | vs baseline |',
    '|---|---:|---:|---:|---:|',
    ...report.modes.map(
      (m) =>
        `| ${m.mode} | ${m.cpu_seconds.total} | ${m.cpu_seconds.main} | ${m.cpu_ms_per_chunk} | ${round(m.cpu_ms_per_chunk / (searchable.cpu_ms_per_chunk + graph.cpu_ms_per_chunk))} |`,
    ),
    '',
    "CPU by process (s), from the first upload until searchable and from then until the graph caught up; PostgreSQL is every `postgres` process on this machine (server mode), the bench is this benchmark's own process (uploads, probes and polls):",
    '',
    '| run | window | api | worker | PostgreSQL | bench |',
    '|---|---|---:|---:|---:|---:|',
    ...report.modes.flatMap((m) =>
      (['until_searchable', 'after_searchable'] as const).map((window) => {
        const cpu = m.cpu_by_process[window];
        const cell = (name: keyof ProcessCpu) => (cpu[name] === undefined ? '' : String(cpu[name]));
        return `| ${m.mode} | ${window.replace('_', ' ')} | ${cell('api')} | ${cell('worker')} | ${cell('postgresql')} | ${cell('bench')} |`;
      }),
    ),
    '',
    'While it ingests (from the first upload until the graph caught up), against the same probes idle just before:',
    '',
    "| run | /health/live p95 idle → busy | ratio | KB read p95 idle → busy | ratio | another tenant's queries answered | their p95 |",
    '|---|---|---:|---|---:|---:|---:|',
    ...report.modes.map((m) => {
      const r = m.responsiveness;
      const mark = (x: number) => `${x}${x < 3 ? ' (PASS)' : ' (MISS)'}`;
      return `| ${m.mode} | ${r.idle.health.p95_ms} → ${r.busy.health.p95_ms} ms | ${mark(r.health_p95_ratio)} | ${r.idle.kb_read.p95_ms} → ${r.busy.kb_read.p95_ms} ms | ${mark(r.kb_read_p95_ratio)} | ${r.other_kb_queries.answered}/${r.other_kb_queries.asked} | ${r.busy.other_kb_query.p95_ms} ms |`;
    }),
    '',
    'Database connections meanwhile (strata_db_connection_{wait,hold}_seconds of the api, and of the worker that ran the jobs in server mode): a request waits for whichever hold it arrives behind. p95 is the upper bound of its histogram bucket.',
    '',
    '| run | request waits | p95 at most ms | over 50 ms | job holds | mean ms | over 50 ms | graph holds | mean ms | over 50 ms |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...report.modes.map((m) => {
      const request = m.connections.api.wait.request;
      const holds = (m.connections.worker ?? m.connections.api).hold;
      return `| ${m.mode} | ${laneCells(request, 'p95')} | ${laneCells(holds.job, 'mean')} | ${laneCells(holds.graph, 'mean')} |`;
    }),
    '',
    `A small tenant's one document, upload to searchable, idle and just after another tenant uploaded ${FAIRNESS_BULK} short documents:`,
    '',
    '| run | idle s | beside the bulk upload s | ratio | bulk documents still pending then |',
    '|---|---:|---:|---:|---:|',
    ...report.modes.flatMap((m) => {
      const f = m.fairness;
      if (!f) return [];
      return `| ${m.mode} | ${f.idle_seconds} | ${f.beside_bulk_seconds} | ${f.ratio}${f.ratio < 2 ? ' (PASS)' : ' (MISS)'} | ${f.bulk_waiting_then >= 200 ? '200 or more' : f.bulk_waiting_then} |`;
    }),
    '',
    'Where making documents searchable spent its time (seconds summed over documents, in the process that ran the jobs, which works on INGESTION_CONCURRENCY documents at a time; prepare includes the wait for a CPU pool thread):',
    '',
    `| run | ${INGEST_STEPS.join(' | ')} |`,
    `|---|${INGEST_STEPS.map(() => '---:').join('|')}|`,
    ...report.modes.map(
      (m) => `| ${m.mode} | ${INGEST_STEPS.map((s) => m.steps.ingest[s] ?? 0).join(' | ')} |`,
    ),
    '',
    "Where the graph merges spent their time (seconds summed over the run's batches, in the process that ran the jobs; the next batch's extraction runs meanwhile, and extraction-wait is how long the merges waited for it, including the graph job's giving way to ingestion), and how entities and relations got their merged form (first-mentions: only their batch mentions them, merged from it; read-back: from their earliest mentions in the database):",
    '',
    `| run | ${MERGE_STEPS.join(' | ')} | ${MERGED_KINDS.join(' | ')} |`,
    `|---|${[...MERGE_STEPS, ...MERGED_KINDS].map(() => '---:').join('|')}|`,
    ...report.modes.map(
      (m) =>
        `| ${m.mode} | ${MERGE_STEPS.map((s) => m.steps.merge[s] ?? 0).join(' | ')} | ${MERGED_KINDS.map((k) => m.steps.merged[k] ?? 0).join(' | ')} |`,
    ),
    ...report.modes
      .filter((m) => m.top_statements !== null)
      .flatMap((m) => [
        '',
        `${m.mode}: the statements the database spent most time on, from start until the graph caught up (parse, bind and execute; EMBEDDED_STATEMENT_STATS_FILE):`,
        '',
        '| statement (first 120 characters) | s | executions | ms each |',
        '|---|---:|---:|---:|',
        ...m.top_statements!.map(
          (t) =>
            `| \`${t.statement.replace(/\|/g, '\\|')}\` | ${round(t.ms / 1000)} | ${t.executions} | ${t.executions > 0 ? round(t.ms / t.executions) : ''} |`,
        ),
      ]),
    ...report.modes
      .filter((m) => (m.longest_statements ?? []).length > 0)
      .flatMap((m) => [
        '',
        `${m.mode}: the statements that held the connection over 30 ms most often (a request arriving meanwhile waits for the rest):`,
        '',
        '| statement (first 120 characters) | executions over 30 ms | of executions | longest ms |',
        '|---|---:|---:|---:|',
        ...m.longest_statements!.map(
          (t) =>
            `| \`${t.statement.replace(/\|/g, '\\|')}\` | ${t.longExecutions} | ${t.executions} | ${t.longestMs} |`,
        ),
      ]),
  ];
  const failed = report.modes.filter(
    (m) => m.failed > 0 || m.graph_failed > 0 || m.documents !== report.corpus.documents,
  );
  if (failed.length > 0)
    lines.push(
      '',
      `Documents or their graphs failed, or went missing, in: ${failed.map((m) => m.mode).join(', ')}`,
    );
  return lines.join('\n');
}

/** Three table cells of a lane: its count, its p95 bound or mean, and how many took over 50 ms. */
function laneCells(times: LaneTimes | undefined, middle: 'p95' | 'mean'): string {
  if (!times) return '0 | | 0';
  const value = middle === 'p95' ? times.p95_ms_at_most : times.mean_ms;
  return `${times.count} | ${value === Infinity ? 'over 2500' : value} | ${times.over_50ms}`;
}

export const round = (value: number) => Math.round(value * 100) / 100;
export const log = (line: string) => process.stderr.write(`${line}\n`);
