#!/usr/bin/env node
// Builds each named target (api, worker, cli, console, bench) only when its sources changed since its
// last successful build, so a second `npm start` or `npm run cli` starts at once. The fingerprint
// is every input file's path and content (times change on checkout and touch, content is what
// matters); a build that fails records none.
//
//   node apps/build-when-changed.mjs api console
//   node apps/build-when-changed.mjs --check cli    # builds nothing; exit 1 naming what is stale
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '..');
const shared = ['libs', 'migrations', 'package-lock.json', 'tsconfig.json', 'nest-cli.json', 'webpack.config.js'];
const TARGETS = {
  api: { inputs: ['apps/api', ...shared], output: 'dist/apps/api/main.js', build: ['nest', 'build', 'api'] },
  worker: { inputs: ['apps/worker', ...shared], output: 'dist/apps/worker/main.js', build: ['nest', 'build', 'worker'] },
  cli: { inputs: ['apps/cli', ...shared], output: 'dist/apps/cli/main.js', build: ['nest', 'build', 'cli'] },
  bench: { inputs: ['bench/src', 'bench/tsconfig.json', ...shared], output: 'dist/bench/main.js', build: ['nest', 'build', 'bench'] },
  console: {
    // The console checks upload types with the server's own table.
    inputs: ['apps/console', 'libs/documents/src/content/document-format.ts', 'package-lock.json'],
    output: 'dist/console/index.html',
    build: ['vite', 'build', '--config', 'apps/console/vite.config.mts', '--logLevel', 'warn'],
    // Vite keeps a NODE_ENV it finds (jest sets `test`), and React then ships its development build.
    env: { NODE_ENV: 'production' },
  },
};

function* files(path) {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return;
  if (!stat.isDirectory()) return yield path;
  for (const entry of readdirSync(path).sort()) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    yield* files(join(path, entry));
  }
}

function fingerprint(inputs) {
  const hash = createHash('sha256');
  for (const input of inputs) {
    for (const path of files(join(root, input))) {
      hash.update(`${relative(root, path)}\0`).update(readFileSync(path)).update('\0');
    }
  }
  return hash.digest('hex');
}

const check = process.argv.includes('--check');
const names = process.argv.slice(2).filter((arg) => arg !== '--check');
const unknown = names.filter((name) => !(name in TARGETS));
if (names.length === 0 || unknown.length > 0) {
  console.error(`usage: build-when-changed.mjs [--check] ${Object.keys(TARGETS).join('|')} …`);
  process.exit(2);
}
const stamps = join(root, 'dist', '.build-stamps');
const stale = [];
for (const name of names) {
  const target = TARGETS[name];
  const stamp = join(stamps, `${name}.sha256`);
  const current = fingerprint(target.inputs);
  const built = existsSync(join(root, target.output)) && existsSync(stamp) && readFileSync(stamp, 'utf8') === current;
  if (built) continue;
  stale.push(name);
  if (check) continue;
  process.stderr.write(`Building ${name} (its sources changed since the last build)…\n`);
  const bin = join(root, 'node_modules', '.bin', target.build[0]);
  const build = spawnSync(bin, target.build.slice(1), {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, ...target.env },
  });
  if (build.status !== 0) {
    // The compiler's own words say what is wrong; on success they are noise.
    process.stderr.write(`${build.stdout ?? ''}${build.stderr ?? ''}`);
    console.error(`Building ${name} failed.`);
    process.exit(1);
  }
  mkdirSync(stamps, { recursive: true });
  writeFileSync(stamp, current);
}
if (check && stale.length > 0) {
  console.log(`stale: ${stale.join(' ')}`);
  process.exit(1);
}
