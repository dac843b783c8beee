import { randomUUID } from 'node:crypto';
import { testKbScope } from '../../../../test/support/scopes';
import { serverSqlClient } from '../../../../test/support/migrated-sql';
import { Client } from 'pg';
import { EmbeddedPostgres } from '../relational/embedded-postgres';
import { PgVectorStore, toBinary } from './pgvector.adapter';
import type { SqlClient } from './sql-client';
import { openEmbeddedSqlClient } from './sql-clients';
import { vectorStoreContract } from './vectors.contract';

vectorStoreContract('pgvector in embedded PGlite', async () => {
  return new PgVectorStore(await openEmbeddedSqlClient(null), 'pgvector (embedded)');
});

// The embedded database as the application reaches it: the pg driver over PGlite's socket, which
// carries vectors in binary.
vectorStoreContract('pgvector in embedded PGlite over the wire protocol', async () => {
  const server = await EmbeddedPostgres.start(null);
  const client = new Client({ host: server.endpoint.host, port: server.endpoint.port, user: 'postgres' });
  await client.connect();
  return new PgVectorStore(
    {
      query: async <T>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as T[],
      close: async () => {
        await client.end();
        await server.stop();
      },
      binaryParams: true,
    },
    'pgvector (embedded, wire protocol)',
  );
});

// The global setup checks whether the server can load pgvector and says why not when it cannot.
vectorStoreContract(
  'pgvector on the PostgreSQL server',
  async () => new PgVectorStore(await serverSqlClient(), 'pgvector'),
  {
    skipReason: process.env.STRATA_PGVECTOR_UNAVAILABLE,
  },
);

describe('pgvector store: exact search per KB, no index shared between KBs', () => {
  const hnswIndexes = async (sql: SqlClient) =>
    (
      await sql.query<{ indexname: string }>(
        `SELECT indexname FROM pg_indexes WHERE tablename = 'strata_vectors' AND indexdef ILIKE '%hnsw%'`,
      )
    ).map((r) => r.indexname);
  const scope = testKbScope(randomUUID(), randomUUID());
  const record = (vector: number[]) => ({
    id: randomUUID(),
    kind: 'chunk' as const,
    documentId: null,
    vector,
  });

  it('writes and searches without creating an approximate index over every KB', async () => {
    const sql = await openEmbeddedSqlClient(null);
    const store = new PgVectorStore(sql, 'test');
    try {
      await store.upsert(scope, { model: 'm', dimension: 3 }, [record([1, 0, 0]), record([0, 1, 0])]);
      const hits = await store.search(
        scope,
        { model: 'm', dimension: 3 },
        { vector: [1, 0, 0], kind: 'chunk', limit: 1 },
      );
      expect(hits[0].score).toBeCloseTo(1);
      expect(await hnswIndexes(sql)).toEqual([]);
      // Vectors stay in their row (MAIN), so an exact scan does not fetch each from a TOAST table.
      const [column] = await sql.query<{ attstorage: string }>(
        `SELECT attstorage FROM pg_attribute WHERE attrelid = 'strata_vectors'::regclass AND attname = 'embedding'`,
      );
      expect(column.attstorage).toBe('m');
      // Only rows of a document are in the by-document index (graph vectors have none).
      const indexes = await sql.query<{ indexname: string; indexdef: string }>(
        `SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'strata_vectors' AND indexname <> 'strata_vectors_pkey'`,
      );
      expect(indexes).toEqual([
        expect.objectContaining({
          indexname: 'strata_vectors_by_document_idx',
          indexdef: expect.stringContaining('WHERE (document_id IS NOT NULL)'),
        }),
      ]);
    } finally {
      await store.close();
    }
  });

  it('drops the shared per-dimension HNSW index that earlier versions created', async () => {
    const sql = await openEmbeddedSqlClient(null);
    try {
      await new PgVectorStore(sql, 'first').count(scope);
      await sql.query(
        `CREATE INDEX strata_vectors_hnsw_3 ON strata_vectors USING hnsw ((embedding::vector(3)) vector_cosine_ops)
         WHERE dimension = 3`,
      );
      expect(await hnswIndexes(sql)).toEqual(['strata_vectors_hnsw_3']);
      await new PgVectorStore(sql, 'upgraded').count(scope);
      expect(await hnswIndexes(sql)).toEqual([]);
    } finally {
      await sql.close();
    }
  });
});

describe('toBinary', () => {
  it("writes pgvector's binary form, which the server reads back as the same vector", async () => {
    const server = await EmbeddedPostgres.start(null);
    const client = new Client({ host: server.endpoint.host, port: server.endpoint.port, user: 'postgres' });
    await client.connect();
    try {
      await client.query('CREATE EXTENSION IF NOT EXISTS vector');
      const { rows } = await client.query('SELECT $1::vector(3)::text AS v', [toBinary([0.5, -1.25, 3])]);
      expect(rows[0].v).toBe('[0.5,-1.25,3]');
      // A view into a larger Float32Array, as the CPU pool's embeddings arrive.
      const view = new Float32Array([9, 9, 0.25, -2, 1e-3, 9]).subarray(2, 5);
      const fromView = await client.query('SELECT $1::vector(3)::text AS v', [toBinary(view)]);
      expect(fromView.rows[0].v).toBe('[0.25,-2,0.001]');
    } finally {
      await client.end();
      await server.stop();
    }
  });
});
