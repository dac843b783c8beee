/**
 * The library boundaries, checked by `npm run lint` (dependency-cruiser): which library may import
 * which is written down once, in libs/library-edges.json (lower layers first; a unit spec checks
 * that it has no cycle and that docs/architecture.md shows the same table). A library reaches
 * another only through its `@strata/<name>` entry (libs/<name>/src/index.ts). To add an edge, add
 * it there and say why in the commit.
 */
const ALLOWED_IMPORTS = require('./libs/library-edges.json');
/** Specs (unit and integration) and the adapter contract suites they run: test code, which may use test/support. */
const TEST_FILES = '\\.(spec|integration-spec|contract)\\.ts$';

/** A library's files, or (for `migrations`) the migrations folder. */
const home = (name) => (name === 'migrations' ? '^migrations/' : `^libs/${name}/`);

const libraryEdges = Object.entries(ALLOWED_IMPORTS).map(([name, allowed]) => ({
  name: `library-edge:${name}`,
  comment: `libs/${name} may import only ${allowed.join(', ') || 'no other library'} (libs/library-edges.json)`,
  severity: 'error',
  from: { path: home(name), pathNot: TEST_FILES },
  to: {
    path: '^(libs/[^/]+|migrations)/',
    pathNot: [home(name), ...allowed.map(home)],
  },
}));

module.exports = {
  forbidden: [
    ...libraryEdges,
    {
      name: 'library-entry-only',
      comment: "Another library's files are reached through its index.ts (@strata/<name>), never directly",
      severity: 'error',
      from: { path: '^libs/([^/]+)/' },
      to: { path: '^libs/([^/]+)/src/.+', pathNot: ['^libs/$1/', '^libs/[^/]+/src/index\\.ts$'] },
    },
    {
      name: 'no-app-or-harness-from-library',
      comment: 'Libraries do not import the apps, the tests or the benchmark (their specs may use test/)',
      severity: 'error',
      from: { path: '^(libs|migrations)/', pathNot: TEST_FILES },
      to: { path: '^(apps|test|bench)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
