/**
 * Four projects, each saying what it needs: unit specs beside the code (no servers); integration
 * specs beside the code (`*.integration-spec.ts`: repositories, adapters and their contract
 * suites on real engines, PGlite and the PostgreSQL server, Redis, pgvector; Qdrant and Neo4j
 * when their URLs are set); and the e2e suites twice, once on embedded PGlite and once on the
 * real PostgreSQL server (TEST_DATABASE_URL, default 127.0.0.1:5432).
 */
const { pathsToModuleNameMapper } = require('ts-jest');
const { compilerOptions } = require('./tsconfig.json');

const shared = {
  rootDir: __dirname,
  moduleFileExtensions: ['js', 'json', 'ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  moduleNameMapper: pathsToModuleNameMapper(compilerOptions.paths, { prefix: '<rootDir>/' }),
  testEnvironment: 'node',
};

module.exports = {
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['<rootDir>/{apps,libs,migrations,bench}/**/*.spec.ts'],
    },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['<rootDir>/{apps,libs,migrations,bench}/**/*.integration-spec.ts'],
      globalSetup: '<rootDir>/test/support/integration-global-setup.ts',
    },
    {
      ...shared,
      displayName: 'e2e-embedded',
      testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
      // Suites that need several processes on one shared database run on PostgreSQL only.
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/e2e/postgres-only/'],
      setupFiles: ['<rootDir>/test/support/use-embedded.ts'],
      globalSetup: '<rootDir>/test/support/built-apps-global-setup.ts',
    },
    {
      ...shared,
      displayName: 'e2e-postgres',
      testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
      setupFiles: ['<rootDir>/test/support/use-postgres.ts'],
      globalSetup: '<rootDir>/test/support/postgres-global-setup.ts',
      // Suites about the embedded mode itself (restart, data dir, the server process) and the
      // browser suites (the console sees the same API either way) run once.
      testPathIgnorePatterns: [
        '/node_modules/',
        '<rootDir>/test/e2e/embedded-only/',
        '<rootDir>/test/e2e/browser/',
      ],
    },
  ],
  testTimeout: 60_000,
  // Suites run in two worker processes, each replaced once it holds more than this after a
  // suite: one process running every suite in turn (jest's choice for a single worker) grew past
  // the 4 GB heap with PGlite instances and browser clients, and the run took about 19 minutes.
  maxWorkers: 2,
  workerIdleMemoryLimit: '1536MB',
};
