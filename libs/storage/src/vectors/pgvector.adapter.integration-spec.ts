import { randomUUID } from 'node:crypto';
import { testKbScope } from '../../../../test/support/scopes';
import { serverSqlClient } from '../../../../test/support/migrated-sql';
import { Client } from 'pg';
import { EmbeddedPostgres } from '../relational/embedded-postgres';
import { PgVectorStore } from './pgvector.adapter';
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

  it('keeps a mostly-zero vector in the sparse column and any other in the dense one', async () => {
    const sql = await openEmbeddedSqlClient(null);
    const store = new PgVectorStore(sql, 'test');
    try {
      const space = { model: 'm', dimension: 8 };
      const sparse = record([0, 0, 0, 1, 0, 0, 0, 0]);
      const dense = record([1, 1, 1, 0, 0, 0, 0, 1]);
      await store.upsert(scope, space, [sparse, dense]);
      const rows = await sql.query<{ id: string; dense: boolean; sparse: boolean }>(
        `SELECT id, embedding IS NOT NULL AS dense, sparse_embedding IS NOT NULL AS sparse
         FROM strata_vectors WHERE tenant_id = $1 AND kb_id = $2`,
        [scope.tenantId, scope.kbId],
      );
      expect(new Map(rows.map((r) => [r.id, [r.dense, r.sparse]]))).toEqual(
        new Map([
          [sparse.id, [false, true]],
          [dense.id, [true, false]],
        ]),
      );
      // Exactly one of the two holds the vector.
      await expect(
        sql.query(`UPDATE strata_vectors SET embedding = '[1,0,0,0,0,0,0,0]' WHERE id = $1`, [sparse.id]),
      ).rejects.toThrow(/strata_vectors_one_form/);
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
      // A table of this version is used as it is: no DDL (a runtime role may not run any).
      await new PgVectorStore(sql, 'current').count(scope);
      expect(await hnswIndexes(sql)).toEqual(['strata_vectors_hnsw_3']);
      // Stores of earlier versions carry no version marker.
      await sql.query('COMMENT ON TABLE strata_vectors IS NULL');
      await new PgVectorStore(sql, 'upgraded').count(scope);
      expect(await hnswIndexes(sql)).toEqual([]);
    } finally {
      await sql.close();
    }
  });
});
