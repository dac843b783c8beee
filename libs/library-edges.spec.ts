import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const ROOT = join(__dirname, '..');
const edges: Record<string, string[]> = JSON.parse(
  readFileSync(join(__dirname, 'library-edges.json'), 'utf8'),
);
/** What a library may import besides other libraries. */
const OUTSIDE_LIBS = ['migrations'];

describe('library edges (libs/library-edges.json)', () => {
  it('names every library once, and only libraries', () => {
    const libraries = readdirSync(__dirname, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
    expect(Object.keys(edges).sort()).toEqual(libraries.sort());
  });

  it('lists lower layers first: a library imports only libraries above it, so there is no cycle', () => {
    const seen = new Set<string>(OUTSIDE_LIBS);
    for (const [library, imports] of Object.entries(edges)) {
      expect({ library, notYetListed: imports.filter((name) => !seen.has(name)) }).toEqual({
        library,
        notYetListed: [],
      });
      seen.add(library);
    }
  });

  it('is the table docs/architecture.md shows', () => {
    const doc = readFileSync(join(ROOT, 'docs/architecture.md'), 'utf8');
    const lines = doc.slice(doc.indexOf('| library | imports |')).split('\n').slice(2);
    const rows = lines.slice(
      0,
      lines.findIndex((line) => !line.startsWith('|')),
    );
    const documented = Object.fromEntries(
      rows.map((row) => {
        const [library, imports] = row
          .split('|')
          .slice(1, 3)
          .map((cell) => cell.trim());
        return [library, imports === '—' ? [] : imports.split(', ')];
      }),
    );
    expect(documented).toEqual(Object.fromEntries(Object.entries(edges).map(([k, v]) => [k, [...v].sort()])));
  });
});

describe('the dependency-cruiser rules (.dependency-cruiser.cjs)', () => {
  let fixture: string;

  beforeAll(() => {
    // A tiny repository with one breach of each rule, checked with the real configuration.
    fixture = mkdtempSync(join(tmpdir(), 'strata-depcruise-'));
    const files: Record<string, string> = {
      'tsconfig.json': '{ "compilerOptions": { "module": "commonjs" } }',
      'libs/core/src/index.ts': "export * from '../../tenancy/src';\n", // core may import no library
      'libs/core/src/inner.ts': 'export const inner = 1;\n',
      'libs/tenancy/src/index.ts': "export * from './deep';\nexport * from './harness';\n",
      'libs/tenancy/src/deep.ts': "export { inner } from '../../core/src/inner';\n", // past core's entry
      'libs/tenancy/src/harness.ts': "export { helper } from '../../../test/support/helper';\n",
      'libs/tenancy/src/harness.spec.ts': "export { helper } from '../../../test/support/helper';\n",
      'test/support/helper.ts': 'export const helper = 1;\n',
    };
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(fixture, path)), { recursive: true });
      writeFileSync(join(fixture, path), text);
    }
  });

  afterAll(() => rmSync(fixture, { recursive: true, force: true }));

  it('fails an edge the table does not allow, a deep import and a library importing test code', () => {
    const run = spawnSync(
      process.execPath,
      [
        join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs'),
        '--config',
        join(ROOT, '.dependency-cruiser.cjs'),
        '--output-type',
        'json',
        'libs',
      ],
      { cwd: fixture, encoding: 'utf8' },
    );
    const report = JSON.parse(run.stdout) as {
      summary: { violations: Array<{ from: string; to: string; rule: { name: string } }> };
    };
    const violations = report.summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`).sort();
    expect(violations).toEqual([
      'library-edge:core: libs/core/src/index.ts -> libs/tenancy/src/index.ts',
      'library-entry-only: libs/tenancy/src/deep.ts -> libs/core/src/inner.ts',
      'no-app-or-harness-from-library: libs/tenancy/src/harness.ts -> test/support/helper.ts',
    ]);
  });
});
