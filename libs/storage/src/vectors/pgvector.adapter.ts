import { mapInTurns, slices, slicesOfBytes } from '@strata/core';
import type { KbScope, TenantScope } from '@strata/tenancy';
import { type EncodedVector, queryEncoder, vectorEncoder } from './pgvector-encoding';
import type { SqlClient } from './sql-client';
import { withoutHiddenDocuments } from '../relational/hidden-documents';
import {
  assertVectorFits,
  VectorHit,
  VectorCount,
  VectorRecord,
  VectorSearch,
  VectorSpace,
  VectorStore,
} from './vectors.port';

/**
 * Bounds of an INSERT, and ids per lookup. Statements stay short (~10 ms in PGlite) so that on the
 * embedded database's single connection a request's statement waits little behind them: an INSERT
 * carries at most 64 dense 1,024-dimension vectors (by bytes) or 128 sparse ones, which are a fifth
 * of the size but take about half the time to write.
 */
const UPSERT_BYTES = 64 * (4 + 4 * 1024);
const UPSERT_ROWS = 128;
const LOOKUP_BATCH = 500;
const MAX_DIMENSION = 2000; // the largest dimension this store accepts (pgvector indexes stop there)

/**
 * Vectors in PostgreSQL with pgvector: in the embedded PGlite, in the server database when it has
 * the extension, or in a PGlite of its own under DATA_DIR when it does not. One table holds every
 * space. Every statement filters by tenant_id and kb_id, which lead the primary key, and a search
 * is exact over the KB's own rows: no index is shared between KBs, because an approximate index
 * over every tenant's vectors that filters after its walk lets one tenant's data change what
 * another finds (and keeping it up to date cost 5-25 ms per vector written).
 */
export class PgVectorStore extends VectorStore {
  private schemaReady: Promise<void> | null = null;
  private readonly encode: (vector: ArrayLike<number>) => EncodedVector;
  private readonly encodeQuery: (vector: ArrayLike<number>) => EncodedVector;

  constructor(
    private readonly sql: SqlClient,
    readonly description: string,
    private readonly options: { preparedOnFirstUse?: boolean } = {},
  ) {
    super();
    // Text vectors cost ~3.7 ms each to parse at 1,024 dimensions in PGlite, binary ones ~0.2 ms.
    this.encode = vectorEncoder(sql.binaryParams === true);
    this.encodeQuery = queryEncoder(sql.binaryParams === true);
  }

  async upsert(scope: KbScope, space: VectorSpace, records: readonly VectorRecord[]): Promise<void> {
    if (records.length === 0) return;
    checkSpace(space);
    // Checked and encoded before any is written, in turns: a graph batch's thousand or so vectors
    // took the thread that serves HTTP for 30 ms at once.
    const encoded = await mapInTurns(records, (record) => {
      assertVectorFits(space, record.vector);
      return { record, ...this.encode(record.vector) };
    });
    await this.ensureSchema();
    const bytesOf = (e: EncodedVector) => (e.dense ?? e.sparse)!.length;
    for (const batch of slicesOfBytes(encoded, bytesOf, UPSERT_BYTES, UPSERT_ROWS)) {
      const params: unknown[] = [scope.tenantId, scope.kbId, space.model, space.dimension];
      const rows = batch.map(({ record, dense, sparse }) => {
        params.push(record.id, record.kind, record.documentId, record.contentHash ?? null, dense, sparse);
        const n = params.length;
        return `($1, $2, $${n - 5}, $${n - 4}, $${n - 3}, $3, $4, $${n - 2}, $${n - 1}::vector, $${n}::sparsevec)`;
      });
      await this.sql.query(
        `INSERT INTO strata_vectors
           (tenant_id, kb_id, id, kind, document_id, model, dimension, content_hash, embedding, sparse_embedding)
         VALUES ${rows.join(', ')}
         ON CONFLICT (tenant_id, kb_id, id) DO UPDATE SET kind = excluded.kind,
           document_id = excluded.document_id, model = excluded.model, dimension = excluded.dimension,
           content_hash = excluded.content_hash, embedding = excluded.embedding,
           sparse_embedding = excluded.sparse_embedding`,
        params,
      );
    }
  }

  async search(scope: KbScope, space: VectorSpace, search: VectorSearch): Promise<VectorHit[]> {
    checkSpace(space);
    assertVectorFits(space, search.vector);
    await this.ensureSchema();
    const dim = space.dimension;
    const query = this.encodeQuery(search.vector);
    const params: unknown[] = [
      scope.tenantId,
      scope.kbId,
      search.kind,
      space.model,
      query.dense,
      search.limit,
      query.sparse,
    ];
    let documentFilter = '';
    if (search.documentIds !== undefined) {
      params.push([...search.documentIds]);
      documentFilter = `AND document_id = ANY($${params.length}::uuid[])`;
    }
    documentFilter += withoutHiddenDocuments(scope, params, 'document_id');
    // A row holds its vector in one of the two columns; the other is null, and so is its distance.
    const distance = `coalesce(embedding::vector(${dim}) <=> $5::vector(${dim}),
      sparse_embedding::sparsevec(${dim}) <=> $7::sparsevec(${dim}))`;
    // Equal distances (common with the lexical embedder: one-word names) are ordered by id, not
    // by where the rows happen to lie, which other KBs' writes can change.
    const rows = await this.sql.query<{ id: string; document_id: string | null; distance: number }>(
      `SELECT id, document_id, ${distance} AS distance
       FROM strata_vectors
       WHERE tenant_id = $1 AND kb_id = $2 AND kind = $3 AND model = $4 AND dimension = ${dim} ${documentFilter}
       ORDER BY distance, id
       LIMIT $6`,
      params,
    );
    return rows.map((row) => ({ id: row.id, documentId: row.document_id, score: 1 - Number(row.distance) }));
  }

  async current(
    scope: KbScope,
    space: VectorSpace,
    candidates: ReadonlyArray<{ id: string; contentHash: string }>,
  ): Promise<Set<string>> {
    if (candidates.length === 0) return new Set();
    await this.ensureSchema();
    const wanted = new Map(candidates.map((c) => [c.id, c.contentHash]));
    const current = new Set<string>();
    // Looked up by primary key (a join with the list read every vector of the KB, 100-270 ms in
    // PGlite for one graph batch); the hashes are compared here.
    for (const batch of slices(candidates, LOOKUP_BATCH)) {
      const rows = await this.sql.query<{ id: string; content_hash: string | null }>(
        `SELECT id, content_hash FROM strata_vectors
         WHERE tenant_id = $1 AND kb_id = $2 AND id = ANY($5::uuid[]) AND model = $3 AND dimension = $4`,
        [scope.tenantId, scope.kbId, space.model, space.dimension, batch.map((c) => c.id)],
      );
      for (const row of rows) if (row.content_hash === wanted.get(row.id)) current.add(row.id);
    }
    return current;
  }

  async deleteDocuments(scope: KbScope, documentIds: readonly string[]): Promise<void> {
    if (documentIds.length === 0) return;
    await this.ensureSchema();
    await this.sql.query(
      'DELETE FROM strata_vectors WHERE tenant_id = $1 AND kb_id = $2 AND document_id = ANY($3::uuid[])',
      [scope.tenantId, scope.kbId, [...documentIds]],
    );
  }

  async deleteIds(scope: KbScope, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.ensureSchema();
    await this.sql.query(
      'DELETE FROM strata_vectors WHERE tenant_id = $1 AND kb_id = $2 AND id = ANY($3::uuid[])',
      [scope.tenantId, scope.kbId, [...ids]],
    );
  }

  async deleteKnowledgeBase(scope: KbScope): Promise<void> {
    await this.ensureSchema();
    await this.sql.query('DELETE FROM strata_vectors WHERE tenant_id = $1 AND kb_id = $2', [
      scope.tenantId,
      scope.kbId,
    ]);
  }

  async deleteTenant(scope: TenantScope): Promise<void> {
    await this.ensureSchema();
    await this.sql.query('DELETE FROM strata_vectors WHERE tenant_id = $1', [scope.tenantId]);
  }

  async count(scope: KbScope, filter: VectorCount = {}): Promise<number> {
    await this.ensureSchema();
    const params: unknown[] = [scope.tenantId, scope.kbId];
    let where = 'tenant_id = $1 AND kb_id = $2';
    if (filter.documentIds !== undefined) {
      params.push([...filter.documentIds]);
      where += ` AND document_id = ANY($${params.length}::uuid[])`;
    }
    if (filter.kind !== undefined) {
      params.push(filter.kind);
      where += ` AND kind = $${params.length}`;
    }
    const [row] = await this.sql.query<{ n: string }>(
      `SELECT count(*) AS n FROM strata_vectors WHERE ${where}`,
      params,
    );
    return Number(row.n);
  }

  async documentIds(scope: KbScope): Promise<Set<string>> {
    await this.ensureSchema();
    const rows = await this.sql.query<{ document_id: string }>(
      `SELECT DISTINCT document_id FROM strata_vectors
       WHERE tenant_id = $1 AND kb_id = $2 AND document_id IS NOT NULL`,
      [scope.tenantId, scope.kbId],
    );
    return new Set(rows.map((row) => row.document_id));
  }

  async ping(): Promise<void> {
    await this.sql.query('SELECT 1');
  }

  close(): Promise<void> {
    return this.sql.close();
  }

  async prepare(): Promise<void> {
    if (!this.options.preparedOnFirstUse) await this.ensureSchema();
  }

  private ensureSchema(): Promise<void> {
    this.schemaReady ??= this.createSchema().catch((error: unknown) => {
      this.schemaReady = null;
      throw error;
    });
    return this.schemaReady;
  }

  private async createSchema(): Promise<void> {
    // A current schema needs no DDL, so a role that may not change the schema (the runtime role
    // of a split deployment; `migrate` prepared it) uses it as it is.
    const [marker] = await this.sql.query<{ version: string | null }>(
      `SELECT obj_description(to_regclass('strata_vectors'), 'pg_class') AS version`,
    );
    if (marker?.version === SCHEMA_VERSION) return;
    await this.sql.query('CREATE EXTENSION IF NOT EXISTS vector');
    await this.sql.query(`
      CREATE TABLE IF NOT EXISTS strata_vectors (
        tenant_id uuid NOT NULL,
        kb_id uuid NOT NULL,
        id uuid NOT NULL,
        kind text NOT NULL,
        document_id uuid,
        model text NOT NULL,
        dimension integer NOT NULL,
        embedding vector NOT NULL,
        PRIMARY KEY (tenant_id, kb_id, id)
      )`);
    // Added after the first release: stores created before it gain the column (nothing is current).
    await this.sql.query('ALTER TABLE strata_vectors ADD COLUMN IF NOT EXISTS content_hash text');
    // Mostly-zero vectors are kept sparse (see pgvector-encoding), the others dense: one of the two
    // columns holds the vector. Rows written before the sparse column keep their dense form.
    await this.sql.query('ALTER TABLE strata_vectors ADD COLUMN IF NOT EXISTS sparse_embedding sparsevec');
    await this.sql.query('ALTER TABLE strata_vectors ALTER COLUMN embedding DROP NOT NULL');
    await this.sql.query(`
      DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'strata_vectors_one_form') THEN
          ALTER TABLE strata_vectors ADD CONSTRAINT strata_vectors_one_form
            CHECK ((embedding IS NULL) <> (sparse_embedding IS NULL));
        END IF;
      EXCEPTION WHEN duplicate_object THEN NULL; -- another process added it meanwhile
      END $$`);
    for (const column of ['embedding', 'sparse_embedding']) {
      // Kept in the row, not TOASTed out of it (pgvector's default for a 4 KB vector): exact search
      // reads every vector of the KB, and measured 3x faster at 1,024 dimensions this way, inserts
      // 30% faster. Rows written before this keep their storage until they are rewritten.
      await this.sql.query(`ALTER TABLE strata_vectors ALTER COLUMN ${column} SET STORAGE MAIN`);
      // No planner statistics for the vectors themselves: nothing filters on them, and sampling
      // 4 KB values was most of the time ANALYZE spent on this table.
      await this.sql.query(`ALTER TABLE strata_vectors ALTER COLUMN ${column} SET STATISTICS 0`);
    }
    // Only chunk vectors belong to a document; the graph's (most rows: ~26 per chunk) have none,
    // and an index over every row cost an index insertion per graph vector for nothing. Stores
    // made before this had it over every row.
    await this.sql.query('DROP INDEX IF EXISTS strata_vectors_document_idx');
    await this.sql.query(
      `CREATE INDEX IF NOT EXISTS strata_vectors_by_document_idx ON strata_vectors (tenant_id, kb_id, document_id)
       WHERE document_id IS NOT NULL`,
    );
    // Stores made before exact per-KB search kept one HNSW index per dimension over every KB.
    const shared = await this.sql.query<{ indexname: string }>(
      `SELECT indexname FROM pg_indexes WHERE tablename = 'strata_vectors' AND indexname LIKE 'strata\\_vectors\\_hnsw\\_%'`,
    );
    for (const { indexname } of shared) {
      if (/^strata_vectors_hnsw_\d+$/.test(indexname))
        await this.sql.query(`DROP INDEX IF EXISTS ${indexname}`);
    }
    await this.sql.query(`COMMENT ON TABLE strata_vectors IS '${SCHEMA_VERSION}'`);
  }
}

/** Marks a strata_vectors table made by this createSchema (raise it when createSchema changes). */
const SCHEMA_VERSION = 'strata_vectors schema 1';

/** The dimension is interpolated into SQL (casts cannot be parameters), so it is checked first. */
function checkSpace(space: VectorSpace): void {
  if (!Number.isInteger(space.dimension) || space.dimension < 1 || space.dimension > MAX_DIMENSION) {
    throw new Error(`vector dimension must be an integer from 1 to ${MAX_DIMENSION}, got ${space.dimension}`);
  }
}
