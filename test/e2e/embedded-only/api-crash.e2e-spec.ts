import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chunkText } from '@strata/ingestion';
import { builtApp } from '../../support/built-app';
import { graphDrift, NO_GRAPH_DRIFT } from '../../support/graph-consistency';
import { jsonApi, tenantWithAdmin } from '../../support/json-api';
import { freePort, RunningProcess, startProcess, stopProcess } from '../../support/processes';

const DOCUMENTS = 30;
const CHUNKING = { chunk_size: 120, chunk_overlap: 20 };
const ADMIN = { email: 'crash@strata.test', password: 'crash-test-admin-password' };

const documentText = (i: number) =>
  Array.from(
    { length: 40 },
    (_, p) =>
      `Record ${i}.${p}: the ferry from pier ${i} carried ${p * 11} passengers and ${p * 2} bicycles at dawn.`,
  ).join('\n\n');

// Embedded-only: in embedded mode the API process runs the jobs, so it is the one that crashes.
describe('the embedded server killed in the middle of a batch', () => {
  let main = '';
  let dataDir: string;
  let server: RunningProcess | null = null;
  let base = '';

  const start = async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}/api/v1`;
    server = await startProcess(
      main,
      {
        DATA_DIR: dataDir,
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        ADMIN_EMAIL: ADMIN.email,
        ADMIN_PASSWORD: ADMIN.password,
        INGESTION_LEASE_SECONDS: '5',
      },
      'Strata API listening',
    );
  };
  const call = jsonApi(() => base);

  beforeAll(() => {
    main = builtApp('api');
  }, 120_000);
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'strata-crash-'));
  });
  afterEach(async () => {
    if (server) await stopProcess(server, 'SIGKILL');
    server = null;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it.each([
    ['killed (SIGKILL)', 'SIGKILL' as const],
    ['stopped (SIGTERM)', 'SIGTERM' as const],
  ])(
    '%s mid-batch, it resumes on restart: every document processed and in the graph, each chunk and vector once',
    async (_, signal) => {
      await start();
      const { tenantId, token: admin } = await tenantWithAdmin(call, ADMIN, 'crash-test');
      const tenant = { id: tenantId };
      const kb = await call('POST', `/tenants/${tenant.id}/knowledge-bases`, admin, {
        name: 'Ferries',
        config: { chunking: CHUNKING },
      });
      const documents = `/tenants/${tenant.id}/knowledge-bases/${kb.id}/documents`;
      const accepted = await call('POST', documents, admin, {
        documents: Array.from({ length: DOCUMENTS }, (_, i) => ({
          title: `record ${i}`,
          text: documentText(i),
        })),
      });
      const ids: string[] = accepted.documents.map((d: { id: string }) => d.id);
      const processed = async () =>
        (await call('GET', `${documents}?status=processed&limit=200`, admin)).items.length as number;
      const graphsBuilt = async () =>
        (await call('GET', `${documents}?status=processed&limit=200`, admin)).items.filter(
          (d: { graph_status: string }) => d.graph_status === 'done',
        ).length as number;

      const deadline = Date.now() + 60_000;
      while ((await processed()) < 3) {
        if (Date.now() > deadline) throw new Error(`nothing processed:\n${server!.output()}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      const stopping = performance.now();
      await stopProcess(server!, signal);
      server = null;
      // A graceful stop drains within the 10 s an orchestrator allows before it kills.
      if (signal === 'SIGTERM') expect(performance.now() - stopping).toBeLessThan(10_000);

      await start();
      // Tokens survive the restart: the JWT secret is kept in DATA_DIR.
      const atRestart = await processed();
      expect(atRestart).toBeLessThan(DOCUMENTS);
      const finish = Date.now() + 120_000;
      while ((await processed()) < DOCUMENTS || (await graphsBuilt()) < DOCUMENTS) {
        if (Date.now() > finish) throw new Error(`not all processed:\n${server!.output()}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const chunkCounts = new Map<string, number>(
        (await call('GET', `${documents}?limit=200`, admin)).items.map(
          (d: { id: string; chunk_count: number }) => [d.id, d.chunk_count],
        ),
      );
      await stopProcess(server!, 'SIGTERM');
      server = null;

      const db = await PGlite.create({ dataDir: join(dataDir, 'pg'), extensions: { vector } });
      try {
        for (const [i, id] of ids.entries()) {
          const expected = chunkText(documentText(i), {
            chunkSize: CHUNKING.chunk_size,
            chunkOverlap: CHUNKING.chunk_overlap,
          }).length;
          const { rows } = await db.query<{ chunks: number; ordinals: number; vectors: number }>(
            `SELECT (SELECT count(*)::int FROM chunks WHERE document_id = $1) AS chunks,
                  (SELECT count(DISTINCT ordinal)::int FROM chunks WHERE document_id = $1) AS ordinals,
                  (SELECT count(*)::int FROM strata_vectors WHERE document_id = $1) AS vectors`,
            [id],
          );
          expect({ i, ...rows[0], reported: chunkCounts.get(id) }).toEqual({
            i,
            chunks: expected,
            ordinals: expected,
            vectors: expected,
            reported: expected,
          });
        }
        // The graph job was killed too: the graph is the merge of each document's mentions, once.
        const query = async (sql: string, params: unknown[]) =>
          (await db.query<Record<string, unknown>>(sql, params)).rows;
        expect(await graphDrift(query, tenant.id, kb.id)).toEqual(NO_GRAPH_DRIFT);
        const [vectors] = await query(
          `SELECT (SELECT count(*)::int FROM strata_vectors WHERE kb_id = $2 AND kind = 'entity') AS vectors,
                  (SELECT count(*)::int FROM graph_entities WHERE tenant_id = $1 AND kb_id = $2) AS entities`,
          [tenant.id, kb.id],
        );
        expect(vectors.vectors).toBe(vectors.entities);
        expect(vectors.entities).toBeGreaterThan(0);
      } finally {
        await db.close();
      }
    },
    180_000,
  );
});
