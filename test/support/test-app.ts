import type { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import TestAgent from 'supertest/lib/agent';
import { createApp } from '../../apps/api/src/create-app';
import { AppConfig, loadConfig, onShutdownStepAbandoned } from '@strata/core';
import { TEST_REDIS_URL } from './redis-availability';
import { createTestDatabase, testDatabaseKind, TestDatabase } from './test-database';

export const ADMIN_EMAIL = 'root@strata.test';
export const ADMIN_PASSWORD = 'platform-admin-password';

export interface TestApp {
  app: INestApplication;
  http: TestAgent;
  config: AppConfig;
  close(): Promise<void>;
}

/** The config e2e suites run with; `env` overrides variables. */
export function testConfig(env: Record<string, string> = {}): AppConfig {
  return loadConfig({
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    JWT_SECRET: randomBytes(32).toString('hex'),
    MASTER_KEY: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'silent',
    LOGIN_MAX_ATTEMPTS_PER_IP: '100000',
    // The suites' scripted providers listen on loopback; egress.e2e-spec tests the default policy.
    PROVIDER_ALLOWED_HOSTS: 'public,127.0.0.1',
    ...env,
  });
}

const queuePrefixes = new WeakMap<TestDatabase, string>();
function queuePrefixOf(db: TestDatabase): string {
  if (!queuePrefixes.has(db)) queuePrefixes.set(db, randomBytes(6).toString('hex'));
  return queuePrefixes.get(db)!;
}

/** Boots the real API on a fresh database of the suite's kind (PGlite or PostgreSQL). */
export async function startTestApp(
  env: Record<string, string> = {},
  database?: TestDatabase,
): Promise<TestApp> {
  const db = database ?? (await createTestDatabase());
  // Blobs (and, on a PostgreSQL without pgvector, vectors) live under DATA_DIR: one per app.
  const dataDir = env.DATA_DIR ? null : mkdtempSync(join(tmpdir(), 'strata-e2e-'));
  const config = testConfig({
    ...(dataDir ? { DATA_DIR: dataDir } : {}),
    // Apps on one database share a job queue; apps on different ones must not.
    JOB_QUEUE_PREFIX: `strata-test-${queuePrefixOf(db)}`,
    // The PostgreSQL run is the production shape: Redis for the job queue (Bull) and rate limits.
    ...(testDatabaseKind() === 'postgres' && !process.env.STRATA_REDIS_UNAVAILABLE
      ? { REDIS_URL: TEST_REDIS_URL }
      : {}),
    ...env,
  }).with({ database: db.config });
  const app = await createApp(config, { logs: false });
  await app.init();
  return {
    app,
    http: request(app.getHttpServer()),
    config,
    close: async () => {
      // The suites run without logs: a shutdown step that had to be given up on is said here.
      const stopListening = onShutdownStepAbandoned((what) =>
        console.warn(`app.close() gave up waiting for ${what} after ${config.shutdownTimeoutSeconds} s`),
      );
      try {
        await app.close();
      } finally {
        stopListening();
      }
      if (!database) await db.drop();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * `describe` for suites that need the suite's database. The PostgreSQL run skips, with the
 * reason printed by its global setup, when the server is unreachable outside CI.
 */
export function describeE2E(name: string, body: () => void): void {
  const kind = testDatabaseKind();
  const unavailable = kind === 'postgres' ? process.env.STRATA_PG_UNAVAILABLE : undefined;
  if (unavailable) {
    describe.skip(`${name} [${kind}] (skipped: ${unavailable})`, body);
    return;
  }
  describe(`${name} [${kind}]`, body);
}
