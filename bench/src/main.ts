import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ingestBenchmark, ingestTable } from './ingest.bench';

const ROOT = resolve(__dirname, '../..');
const USAGE = `usage: npm run bench -- ingest [--mb N]

  ingest   ingest a generated corpus (default 20 MB) through the built API, embedded and on
           PostgreSQL + Redis (TEST_DATABASE_URL / TEST_REDIS_URL, default 127.0.0.1);
           writes bench/results/ingest.json and bench/results/ingest.md`;

function option(args: string[], name: string, fallback: number): number {
  const index = args.indexOf(name);
  if (index === -1) return fallback;
  const value = Number(args[index + 1]);
  if (!Number.isFinite(value) || value <= 0) {
    process.stderr.write(`${name} needs a positive number\n${USAGE}\n`);
    process.exit(2);
  }
  return value;
}

async function main(): Promise<void> {
  const [name, ...args] = process.argv.slice(2);
  if (name !== 'ingest') {
    process.stderr.write(`${name ? `unknown benchmark: ${name}\n` : ''}${USAGE}\n`);
    process.exit(name === undefined || name === '--help' ? 0 : 2);
  }
  const report = await ingestBenchmark({
    apiMain: join(ROOT, 'dist/apps/api/main.js'),
    megabytes: option(args, '--mb', 20),
    postgresUrl: process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    redisUrl: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
  });
  const table = ingestTable(report);
  const dir = join(ROOT, 'bench/results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'ingest.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(dir, 'ingest.md'), `${table}\n\nProduced by \`npm run bench -- ingest\`.\n`);
  process.stdout.write(`${table}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`benchmark failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
