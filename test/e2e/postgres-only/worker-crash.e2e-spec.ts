import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { chunkText } from '@strata/ingestion';
import { createVectorStore } from '@strata/storage';
import {
  addMember,
  bearer,
  createKnowledgeBase,
  createTenant,
  documentsPath,
  loginAdmin,
} from '../../factories';
import { builtApp } from '../../support/built-app';
import { graphDrift, NO_GRAPH_DRIFT } from '../../support/graph-consistency';
import { freePort, RunningProcess, startProcess, stopProcess } from '../../support/processes';
import { describeWithRedis, TEST_REDIS_URL } from '../../support/redis-availability';
import { describeE2E, startTestApp, TestApp } from '../../support/test-app';
import { createTestDatabase, TestDatabase } from '../../support/test-database';
import { testKbScope } from '../../support/scopes';
import { OpenAiCompatibleServer } from '../../support/openai-compatible-server';

const DOCUMENTS = 50;
const CHUNKING = { chunk_size: 120, chunk_overlap: 20 };

/** A document of a few dozen paragraphs, different for each index. */
const documentText = (i: number) =>
  Array.from(
    { length: 40 },
    (_, p) =>
      `Document ${i} paragraph ${p}: the survey of site ${i * 100 + p} recorded ${p * 7} samples of granite and ${p * 3} of basalt.`,
  ).join('\n\n');

describeWithRedis('a worker killed in the middle of a batch', () =>
  describeE2E('with PostgreSQL and Redis', () => {
    let db: TestDatabase;
    let api: TestApp;
    let dataDir: string;
    let workerEnv: Record<string, string>;
    let worker: RunningProcess | null = null;
    let metricsPort: number;

    beforeAll(async () => {
      const main = builtApp('worker');
      db = await createTestDatabase();
      dataDir = mkdtempSync(join(tmpdir(), 'strata-worker-'));
      const shared = {
        REDIS_URL: TEST_REDIS_URL,
        JWT_SECRET: 's'.repeat(40),
        MASTER_KEY: 'e'.repeat(64),
        // Blobs (and vectors, on a PostgreSQL without pgvector) live here, shared by api and worker.
        DATA_DIR: dataDir,
        JOB_QUEUE_PREFIX: `strata-crash-${randomBytes(4).toString('hex')}`,
      };
      // The API only accepts uploads; the worker process does all the work.
      api = await startTestApp({ ...shared, RUN_JOBS_IN_API: 'false' }, db);
      metricsPort = await freePort();
      workerEnv = {
        ...shared,
        WORKER_METRICS_PORT: String(metricsPort),
        DATABASE_URL: (db.config as { url: string }).url,
        INGESTION_LEASE_SECONDS: '5',
        INGESTION_CONCURRENCY: '2',
        LOG_LEVEL: 'warn',
      };
      worker = await startProcess(main, workerEnv, 'Strata worker ready');
      (globalThis as { workerMain?: string }).workerMain = main;
    }, 120_000);

    afterAll(async () => {
      if (worker) await stopProcess(worker, 'SIGKILL');
      await api.close();
      await db.drop();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('resumes after a restart: every document is processed and in the graph, no chunk or mention missing or doubled', async () => {
      const platform = await loginAdmin(api.http);
      const tenant = await createTenant(api.http, platform);
      const admin = (await addMember(api.http, platform, tenant, { role: 'admin' })).token;
      const kb = await createKnowledgeBase(api.http, admin, tenant);
      await api.http
        .patch(`/api/v1/tenants/${tenant.id}/knowledge-bases/${kb.id}`)
        .set(bearer(admin))
        .send({ config: { chunking: CHUNKING } })
        .expect(200);
      const res = await api.http
        .post(documentsPath(tenant, kb))
        .set(bearer(admin))
        .send({
          documents: Array.from({ length: DOCUMENTS }, (_, i) => ({
            title: `doc ${i}`,
            text: documentText(i),
          })),
        })
        .expect(202);
      const ids: string[] = res.body.documents.map((d: { id: string }) => d.id);

      const sql = api.app.get(DataSource);
      const processed = async () =>
        Number(
          (
            await sql.query(
              `SELECT count(*) AS n FROM documents WHERE tenant_id = $1 AND status = 'processed'`,
              [tenant.id],
            )
          )[0].n,
        );
      // Kill it hard once it has done some of the batch and not all of it.
      const deadline = Date.now() + 60_000;
      while ((await processed()) < 3) {
        if (Date.now() > deadline) throw new Error(`worker processed nothing:\n${worker!.output()}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await stopProcess(worker!, 'SIGKILL');
      const atKill = await processed();
      expect(atKill).toBeLessThan(DOCUMENTS);
      const [{ n: interrupted }] = await sql.query(
        `SELECT count(*)::int AS n FROM documents WHERE tenant_id = $1 AND status = 'processing'`,
        [tenant.id],
      );

      worker = await startProcess(
        (globalThis as { workerMain?: string }).workerMain!,
        workerEnv,
        'Strata worker ready',
      );
      // The killed worker's active jobs return to the queue only when Bull's stalled-job check
      // finds their locks expired (5 s here, following INGESTION_LEASE_SECONDS), so recovery takes
      // up to 10 s before any work; the budget leaves room for a CI machine busy with other
      // suites (it guards a hang, not speed).
      const graphsBuilt = async () =>
        Number(
          (
            await sql.query(
              `SELECT count(*) AS n FROM documents WHERE tenant_id = $1 AND status = 'processed' AND graph_status = 'done'`,
              [tenant.id],
            )
          )[0].n,
        );
      const finish = Date.now() + 180_000;
      while ((await processed()) < DOCUMENTS || (await graphsBuilt()) < DOCUMENTS) {
        if (Date.now() > finish) throw new Error(`not every document was processed:\n${worker.output()}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      // The restarted worker's own metrics count what it ingested.
      const scrape = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
      expect(scrape.status).toBe(200);
      const metrics = await scrape.text();
      expect(Number(/^strata_ingested_chunks_total (\d+)/m.exec(metrics)?.[1])).toBeGreaterThan(0);
      expect(metrics).toMatch(/^strata_job_duration_seconds_count\{type="ingest",outcome="done"\} [1-9]/m);
      await stopProcess(worker, 'SIGTERM');
      worker = null;

      // Each document has exactly the chunks the chunker makes of it, once each.
      const rows: Array<{ document_id: string; n: number; distinct_ordinals: number; max_ordinal: number }> =
        await sql.query(
          `SELECT document_id, count(*)::int AS n, count(DISTINCT ordinal)::int AS distinct_ordinals,
                max(ordinal)::int AS max_ordinal
         FROM chunks WHERE tenant_id = $1 AND kb_id = $2 GROUP BY document_id`,
          [tenant.id, kb.id],
        );
      const byDocument = new Map(rows.map((r) => [r.document_id, r]));
      // The store the worker wrote to, chosen as the worker chose it: the server's pgvector, or
      // the PGlite fallback under the shared DATA_DIR (free now that the worker has stopped).
      const vectors = await createVectorStore(api.config, sql);
      const scope = testKbScope(tenant.id, kb.id);
      try {
        for (const [i, id] of ids.entries()) {
          const expected = chunkText(documentText(i), {
            chunkSize: CHUNKING.chunk_size,
            chunkOverlap: CHUNKING.chunk_overlap,
          }).length;
          const row = byDocument.get(id);
          expect({ i, n: row?.n, distinct: row?.distinct_ordinals, max: row?.max_ordinal }).toEqual({
            i,
            n: expected,
            distinct: expected,
            max: expected - 1,
          });
          expect(await vectors.count(scope, { documentIds: [id] })).toBe(expected);
        }
        expect(await vectors.count(scope, { kind: 'chunk' })).toBe(rows.reduce((sum, r) => sum + r.n, 0));
        // The graph jobs were killed too: the graph is the merge of each document's mentions, once.
        expect(await graphDrift((q, p) => sql.query(q, p), tenant.id, kb.id)).toEqual(NO_GRAPH_DRIFT);
        const [{ n: entities }] = await sql.query(
          'SELECT count(*)::int AS n FROM graph_entities WHERE tenant_id = $1 AND kb_id = $2',
          [tenant.id, kb.id],
        );
        expect(entities).toBeGreaterThan(0);
        expect(await vectors.count(scope, { kind: 'entity' })).toBe(entities);
      } finally {
        await vectors.close();
      }
      // The kill really hit work in progress (documents claimed and not finished).
      expect(interrupted + (DOCUMENTS - atKill)).toBeGreaterThan(0);
    }, 300_000);

    it('stops within 10 s on SIGTERM while a job waits on a provider that does not answer; a restart finishes every document', async () => {
      const provider = await OpenAiCompatibleServer.start();
      provider.play(...Array.from({ length: 10 }, () => ({ delayMs: 120_000 })));
      try {
        worker = await startProcess(
          (globalThis as { workerMain?: string }).workerMain!,
          {
            ...workerEnv,
            EMBEDDING_BASE_URL: provider.url,
            EMBEDDING_MODEL: 'slow-embedder',
            SHUTDOWN_TIMEOUT_SECONDS: '3',
          },
          'Strata worker ready',
        );
        const platform = await loginAdmin(api.http);
        const tenant = await createTenant(api.http, platform);
        const admin = (await addMember(api.http, platform, tenant, { role: 'admin' })).token;
        const kb = await createKnowledgeBase(api.http, admin, tenant);
        await api.http
          .post(documentsPath(tenant, kb))
          .set(bearer(admin))
          .send({ documents: [0, 1, 2].map((i) => ({ title: `slow ${i}`, text: documentText(i) })) })
          .expect(202);
        const sql = api.app.get(DataSource);
        const count = async (status: string) =>
          Number(
            (
              await sql.query(`SELECT count(*) AS n FROM documents WHERE tenant_id = $1 AND status = $2`, [
                tenant.id,
                status,
              ])
            )[0].n,
          );
        const deadline = Date.now() + 60_000;
        while (provider.requests.length === 0) {
          if (Date.now() > deadline)
            throw new Error(`the worker never called the provider:\n${worker.output()}`);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        expect(await count('processing')).toBeGreaterThan(0);

        const stopping = performance.now();
        await stopProcess(worker, 'SIGTERM');
        expect(performance.now() - stopping).toBeLessThan(10_000);
        expect(worker.output()).toContain('graceful shutdown did not finish in 3 s');
        expect(worker.child.exitCode).toBe(1);

        // Restarted without the stuck provider (the embedded embedder), it takes the work over.
        worker = await startProcess(
          (globalThis as { workerMain?: string }).workerMain!,
          workerEnv,
          'Strata worker ready',
        );
        const finish = Date.now() + 180_000;
        while ((await count('processed')) < 3) {
          if (Date.now() > finish) throw new Error(`not every document was processed:\n${worker.output()}`);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        expect(await count('failed')).toBe(0);
      } finally {
        await provider.stop();
      }
    }, 300_000);
  }),
);
