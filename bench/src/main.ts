import 'reflect-metadata';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { consoleBenchmark, consoleTable } from './console.bench';
import { graphBenchmark, graphTable } from './graph.bench';
import { ingestBenchmark, ingestTable } from './ingest.bench';
import { compareIngest, compareTable } from './ingest/compare';
import { qualityBenchmark, qualityTable } from './quality.bench';
import { retrievalBenchmark, retrievalTable } from './retrieval/retrieval.bench';
import { lockDataDir } from '@strata/storage';
import { serveBareRead } from './scale/bare-read-server';
import { scaleBenchmark, scaleTable } from './scale.bench';

const ROOT = resolve(__dirname, '../..');
const USAGE = `usage: npm run bench -- <ingest [--mb N] [--compare DIR ...] | graph [--entities N] | quality [--companies N] | retrieval [--dataset DIR] [--runs naive,mix] [--questions FILE] | scale [--tenants N] [--kbs N] [--samples N] [--seconds N] | console [--samples N]>

  ingest   ingest a generated corpus (default 5 MB) through the built API, embedded and on
           PostgreSQL + Redis with one worker process (TEST_DATABASE_URL / TEST_REDIS_URL,
           default 127.0.0.1);
           writes bench/results/ingest.json and bench/results/ingest.md
           --compare DIR [--mode embedded|server] [--pairs N] [--fairness]: this build against
           another one (DIR holds its api/ and worker/, e.g. a copy of dist/apps made before a
           change), N interleaved pairs (default 3) of one mode, fairness measured after each
           run's ingest only with --fairness; writes
           bench/results/ingest-compare.json and ingest-compare.md
  graph    load a generated graph (default 50,000 entities) into each graph store (PGlite,
           the PostgreSQL server, Neo4j when NEO4J_URL is set) and time subgraphs at depth 1-3;
           writes bench/results/graph.json and bench/results/graph.md
  quality  ask two-hop questions (default 40 companies, 80 documents) in every mode through the
           built API in embedded mode; writes bench/results/quality.json and quality.md
  retrieval
           ingest a test collection in the BEIR layout (corpus.jsonl, queries.jsonl, qrels.tsv;
           default ../shared/eval/cranfield beside the repository) into a fresh embedded server,
           ask every question in every mode and score nDCG@10, Recall@10 and MRR@10 beside BM25
           computed in the same run; then naive latency on one KB of 10,000 chunks (the
           collection loaded as often as it takes) beside the database's time (--runs: only the
           rows whose name starts with one of these, "scale" for the latency at scale; --questions:
           also each run's nDCG@10 per question, as JSON, to FILE); writes
           bench/results/retrieval.json and retrieval.md
  scale    multi-tenant scale on PostgreSQL + Redis: isolation overhead at 1, 100 and 1,000
           tenants (default --tenants 1000), the guarded request path against a bare handler,
           api memory after touching 10 to 10,000 KBs (--kbs), query p50 with 10,000 tenants,
           and 32 clients over 100 tenants with a noisy one; writes bench/results/scale.json
           and scale.md with PASS/MISS against each target
  console  load the web console (default 20 cold loads) in headless Chromium (CHROMIUM_PATH,
           default /usr/bin/chromium) against /health/live from the same server; writes
           bench/results/console.json and console.md`;

function option(args: string[], name: string, fallback: number): number {
  const index = args.indexOf(name);
  if (index === -1) return fallback;
  const value = Number(args[index + 1]);
  if (!Number.isFinite(value) || value <= 0) usage(`${name} needs a positive number`);
  return value;
}

function textOption(args: string[], name: string, fallback?: string): string {
  const index = args.indexOf(name);
  const value = index === -1 ? fallback : args[index + 1];
  if (value === undefined || value.startsWith('--')) usage(`${name} needs a value`);
  return value;
}

function usage(problem: string): never {
  process.stderr.write(`${problem}\n${USAGE}\n`);
  process.exit(2);
}

function write(name: string, report: unknown, table: string, command = name): void {
  const dir = join(ROOT, 'bench/results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.json`), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(dir, `${name}.md`), `${table}\n\nProduced by \`npm run bench -- ${command}\`.\n`);
  process.stdout.write(`${table}\n`);
}

const POSTGRES_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function main(): Promise<void> {
  const [name, ...args] = process.argv.slice(2);
  // Two benchmarks at once share the cores and the database: both would publish nonsense. The
  // bare-read server is started by the scale benchmark itself.
  if (name !== 'serve-bare-read') {
    const unlock = lockDataDir(join(ROOT, 'bench/results'), 'one benchmark at a time on a machine');
    process.on('exit', unlock);
  }
  await run(name, args);
}

async function run(name: string | undefined, args: string[]): Promise<void> {
  if (name === 'ingest' && args.includes('--compare')) {
    const other = textOption(args, '--compare');
    const mode = textOption(args, '--mode', 'embedded');
    if (mode !== 'embedded' && mode !== 'server') usage('--mode is embedded or server');
    const report = await compareIngest({
      builds: {
        this: {
          apiMain: join(ROOT, 'dist/apps/api/main.js'),
          workerMain: join(ROOT, 'dist/apps/worker/main.js'),
        },
        other: { apiMain: join(other, 'api/main.js'), workerMain: join(other, 'worker/main.js') },
      },
      mode: mode as 'embedded' | 'server',
      pairs: option(args, '--pairs', 3),
      megabytes: option(args, '--mb', 5),
      fairness: args.includes('--fairness'),
      postgresUrl: POSTGRES_URL,
      redisUrl: REDIS_URL,
    });
    write('ingest-compare', report, compareTable(report), `ingest ${args.join(' ')}`);
    return;
  }
  if (name === 'ingest') {
    const report = await ingestBenchmark({
      apiMain: join(ROOT, 'dist/apps/api/main.js'),
      workerMain: join(ROOT, 'dist/apps/worker/main.js'),
      megabytes: option(args, '--mb', 5),
      postgresUrl: POSTGRES_URL,
      redisUrl: REDIS_URL,
    });
    write('ingest', report, ingestTable(report));
    return;
  }
  if (name === 'graph') {
    const report = await graphBenchmark({
      entities: option(args, '--entities', 50_000),
      linksPerEntity: 2,
      samples: option(args, '--samples', 200),
      maxNodes: 200,
      postgresUrl: POSTGRES_URL,
      neo4jUrl: process.env.NEO4J_URL ?? null,
    });
    write('graph', report, graphTable(report));
    return;
  }
  if (name === 'quality') {
    const report = await qualityBenchmark({
      apiMain: join(ROOT, 'dist/apps/api/main.js'),
      companies: option(args, '--companies', 40),
    });
    write('quality', report, qualityTable(report));
    return;
  }
  if (name === 'retrieval') {
    const at = args.indexOf('--dataset');
    const dataset = resolve(at === -1 ? join(ROOT, '../shared/eval/cranfield') : (args[at + 1] ?? ''));
    if (!existsSync(join(dataset, 'corpus.jsonl'))) {
      process.stderr.write(`no corpus.jsonl in ${dataset}: --dataset takes a BEIR-layout folder\n${USAGE}\n`);
      process.exit(2);
    }
    const runs = args.indexOf('--runs');
    const questions = args.indexOf('--questions');
    const report = await retrievalBenchmark({
      apiMain: join(ROOT, 'dist/apps/api/main.js'),
      dataset,
      only: runs === -1 ? [] : (args[runs + 1] ?? '').split(',').filter(Boolean),
      questionsFile: questions === -1 ? undefined : resolve(args[questions + 1] ?? ''),
    });
    write('retrieval', report, retrievalTable(report));
    return;
  }
  if (name === 'scale') {
    const tenants = option(args, '--tenants', 1000);
    const kbs = option(args, '--kbs', 10_000);
    const report = await scaleBenchmark({
      apiMain: join(ROOT, 'dist/apps/api/main.js'),
      benchMain: join(ROOT, 'dist/bench/main.js'),
      postgresUrl: POSTGRES_URL,
      redisUrl: REDIS_URL,
      tenantCounts: [...new Set([1, Math.min(100, tenants), tenants])],
      kbTouches: [10, 100, 1000, 10_000].filter((n) => n < kbs).concat(kbs),
      samples: option(args, '--samples', 500),
      loadSeconds: option(args, '--seconds', 30),
      companies: 10,
    });
    write('scale', report, scaleTable(report));
    return;
  }
  if (name === 'console') {
    const report = await consoleBenchmark({
      root: ROOT,
      apiMain: join(ROOT, 'dist/apps/api/main.js'),
      chromiumPath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      samples: option(args, '--samples', 20),
    });
    write('console', report, consoleTable(report));
    return;
  }
  if (name === 'serve-bare-read') {
    await serveBareRead();
    return;
  }
  process.stderr.write(`${name ? `unknown benchmark: ${name}\n` : ''}${USAGE}\n`);
  process.exit(name === undefined || name === '--help' ? 0 : 2);
}

main().catch((error: unknown) => {
  process.stderr.write(`benchmark failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
