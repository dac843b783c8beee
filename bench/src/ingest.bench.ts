import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client as PgClient } from 'pg';
import { normalizeText } from '@strata/documents';
import { EmbeddedExtractor } from '@strata/graph';
import { chunkText } from '@strata/ingestion';
import { LexicalEmbedder } from '@strata/providers';
import { CorpusDocument, generateCorpus } from './corpus';
import { BENCH_ADMIN, benchTenant, waitUntilIngested } from './bench-tenant';
import { memoryOf, startServer, stopServer } from './server';

const UPLOAD_BATCH = 10;

export interface IngestOptions {
  apiMain: string;
  megabytes: number;
  postgresUrl: string;
  redisUrl: string;
}

export interface ModeResult {
  mode: string;
  documents: number;
  failed: number;
  chunks: number;
  seconds: number;
  chunks_per_second: number;
  megabytes_per_second: number;
  idle_rss_mb: number;
  peak_rss_mb: number;
}

export interface IngestReport {
  benchmark: 'ingest';
  date: string;
  corpus: { documents: number; megabytes: number };
  baseline: { description: string; chunks: number; seconds: number; chunks_per_second: number };
  modes: ModeResult[];
  skipped: Array<{ mode: string; reason: string }>;
}

/**
 * Parse-free pipeline in this process: normalise, chunk, embed, extract the graph's entities and
 * relations (the embedded extractor). What storage, merging and queueing add is measured against it.
 */
async function baseline(corpus: CorpusDocument[]): Promise<IngestReport['baseline']> {
  const embedder = new LexicalEmbedder();
  const extractor = new EmbeddedExtractor();
  const started = process.hrtime.bigint();
  let chunks = 0;
  for (const doc of corpus) {
    const pieces = chunkText(normalizeText(doc.text), { chunkSize: 1200, chunkOverlap: 100 });
    await embedder.embed(pieces.map((p) => p.content));
    for (const piece of pieces) await extractor.extract(piece.content);
    chunks += pieces.length;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return {
    description: 'normalise + chunk + lexical embed + embedded graph extraction in one process, no storage',
    chunks,
    seconds: round(seconds),
    chunks_per_second: round(chunks / seconds),
  };
}

async function runMode(
  mode: string,
  options: IngestOptions,
  corpus: CorpusDocument[],
  env: Record<string, string>,
): Promise<ModeResult> {
  const dataDir = mkdtempSync(join(tmpdir(), `strata-bench-${mode}-`));
  const server = await startServer(options.apiMain, {
    DATA_DIR: dataDir,
    ADMIN_EMAIL: BENCH_ADMIN.email,
    ADMIN_PASSWORD: BENCH_ADMIN.password,
    ...env,
  });
  try {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const idle = memoryOf(server.child.pid!).rss;
    const { admin, tenantId, createKnowledgeBase } = await benchTenant(server);
    const kbId = await createKnowledgeBase();
    const documents = `/api/v1/tenants/${tenantId}/knowledge-bases/${kbId}/documents`;

    const started = process.hrtime.bigint();
    for (let i = 0; i < corpus.length; i += UPLOAD_BATCH) {
      const form = new FormData();
      for (const doc of corpus.slice(i, i + UPLOAD_BATCH)) {
        form.append('files', new Blob([doc.text], { type: 'text/markdown' }), doc.name);
      }
      await admin.call('POST', documents, form);
    }
    let peak = memoryOf(server.child.pid!).peak;
    await waitUntilIngested(admin, documents, () => {
      peak = Math.max(peak, memoryOf(server.child.pid!).peak);
    });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    peak = Math.max(peak, memoryOf(server.child.pid!).peak);

    let chunks = 0;
    let failed = 0;
    let count = 0;
    let cursor: string | null = null;
    do {
      const page: {
        items: Array<{ chunk_count: number; status: string; error: unknown }>;
        next_cursor: string | null;
      } = await admin.call('GET', `${documents}?limit=200${cursor ? `&cursor=${cursor}` : ''}`);
      for (const doc of page.items) {
        chunks += doc.chunk_count;
        count++;
        if (doc.status === 'failed') {
          failed++;
          log(`${mode}: a document failed: ${JSON.stringify(doc.error)}`);
        }
      }
      cursor = page.next_cursor;
    } while (cursor);
    const bytes = corpus.reduce((sum, d) => sum + Buffer.byteLength(d.text), 0);
    return {
      mode,
      documents: count,
      failed,
      chunks,
      seconds: round(seconds),
      chunks_per_second: round(chunks / seconds),
      megabytes_per_second: round(bytes / 1024 / 1024 / seconds),
      idle_rss_mb: round(idle / 1024 / 1024),
      peak_rss_mb: round(peak / 1024 / 1024),
    };
  } catch (error) {
    const exit = server.child.exitCode ?? server.child.signalCode;
    throw new Error(
      `${mode}: ${(error as Error).message} (${String((error as Error).cause ?? 'no cause')})${exit !== null ? ` (the API exited: ${exit})` : ''}\n` +
        `last API output:\n${server.output().slice(-4000)}`,
    );
  } finally {
    await stopServer(server);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Ingests a generated corpus of `megabytes` MB, embedded and (when reachable) on PostgreSQL + Redis. */
export async function ingestBenchmark(options: IngestOptions): Promise<IngestReport> {
  const corpus = generateCorpus(options.megabytes * 1024 * 1024, 100 * 1024);
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
    `corpus: ${report.corpus.documents} documents, ${report.corpus.megabytes} MB; baseline ${report.baseline.chunks_per_second} chunks/s`,
  );

  report.modes.push(await runMode('embedded (PGlite, in-process queue)', options, corpus, {}));
  log(`embedded: ${JSON.stringify(report.modes.at(-1))}`);

  const database = `strata_bench_${randomBytes(4).toString('hex')}`;
  const admin = new PgClient({ connectionString: options.postgresUrl, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch (error) {
    report.skipped.push({
      mode: 'postgres + redis',
      reason: `PostgreSQL unreachable: ${(error as Error).message}`,
    });
    return report;
  }
  try {
    await admin.query(`CREATE DATABASE ${database}`);
    const url = new URL(options.postgresUrl);
    url.pathname = `/${database}`;
    report.modes.push(
      await runMode('postgres + redis (Bull, vectors in pgvector or the local fallback)', options, corpus, {
        DATABASE_URL: url.toString(),
        REDIS_URL: options.redisUrl,
        JWT_SECRET: randomBytes(32).toString('hex'),
        MASTER_KEY: randomBytes(32).toString('hex'),
        JOB_QUEUE_PREFIX: database,
      }),
    );
    log(`postgres: ${JSON.stringify(report.modes.at(-1))}`);
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
  }
  return report;
}

export function ingestTable(report: IngestReport): string {
  const lines = [
    `Ingest benchmark, ${report.date.slice(0, 10)}: ${report.corpus.documents} generated markdown documents, ${report.corpus.megabytes} MB, default chunking (1200/100 tokens), lexical embedder.`,
    '',
    '| run | chunks | seconds | chunks/s | MB/s | vs baseline | idle RSS MB | peak RSS MB | peak/idle |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    `| baseline: ${report.baseline.description} | ${report.baseline.chunks} | ${report.baseline.seconds} | ${report.baseline.chunks_per_second} | | 1.00 | | | |`,
    ...report.modes.map(
      (m) =>
        `| ${m.mode} | ${m.chunks} | ${m.seconds} | ${m.chunks_per_second} | ${m.megabytes_per_second} | ${round(m.chunks_per_second / report.baseline.chunks_per_second)} | ${m.idle_rss_mb} | ${m.peak_rss_mb} | ${round(m.peak_rss_mb / m.idle_rss_mb)} |`,
    ),
    ...report.skipped.map((s) => `| ${s.mode}: skipped, ${s.reason} | | | | | | | | |`),
  ];
  const failed = report.modes.filter((m) => m.failed > 0 || m.documents !== report.corpus.documents);
  if (failed.length > 0)
    lines.push('', `Documents failed or missing in: ${failed.map((m) => m.mode).join(', ')}`);
  return lines.join('\n');
}

const round = (value: number) => Math.round(value * 100) / 100;
const log = (line: string) => process.stderr.write(`${line}\n`);
