import type { Client as PgClient } from 'pg';
import type { SqlClient } from '@strata/storage';

/**
 * Copies of one tenant under new ids, written in SQL so a store can hold a thousand tenants with
 * the same KB in minutes instead of ingesting each. Every uuid is mapped through
 * md5(id || ':' || n), so references between rows (chunks → documents, mentions → chunks,
 * source_chunk_ids, vectors → chunks and entities) stay consistent inside copy n.
 */
const TENANT_TABLES = [
  'tenants',
  'memberships',
  'knowledge_bases',
  'documents',
  'chunks',
  'graph_entity_mentions',
  'graph_relation_mentions',
  'graph_entities',
  'graph_relations',
  'graph_entity_edits',
  'graph_relation_edits',
  'graph_entity_aliases',
];
/** Columns that point outside the tenant and keep their value (the member is the same user). */
const SHARED_COLUMNS = new Set(['memberships.user_id']);

const CLONE_ID = `md5(%s::text || ':' || n)::uuid`;
const cloneId = (column: string) => CLONE_ID.replace('%s', column);

interface Column {
  column_name: string;
  udt_name: string;
  is_generated: string;
}

function columnExpression(table: string, column: Column): string {
  const name = `"${column.column_name}"`;
  if (SHARED_COLUMNS.has(`${table}.${column.column_name}`)) return name;
  if (table === 'tenants' && column.column_name === 'slug') return `left(slug, 50) || '-c' || n`;
  if (column.udt_name === 'uuid') return cloneId(name);
  if (column.udt_name === '_uuid') {
    return `CASE WHEN ${name} IS NULL THEN NULL ELSE ARRAY(SELECT ${cloneId('x')} FROM unnest(${name}) AS x) END`;
  }
  return name;
}

async function columns(sql: (text: string, params?: unknown[]) => Promise<Column[]>, table: string) {
  return (
    await sql(
      `SELECT column_name, udt_name, is_generated FROM information_schema.columns
       WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`,
      [table],
    )
  ).filter((column) => column.is_generated !== 'ALWAYS');
}

function insertCopies(table: string, cols: Column[], keyColumn: string): string {
  const names = cols.map((c) => `"${c.column_name}"`).join(', ');
  const values = cols.map((c) => columnExpression(table, c)).join(', ');
  return `INSERT INTO ${table} (${names})
          SELECT ${values} FROM ${table}, generate_series($2::int, $3::int) AS n
          WHERE ${keyColumn} = $1`;
}

/** Copies `from`..`to` (inclusive) of the tenant's relational rows; returns the new tenant ids. */
export async function cloneTenantRows(
  pg: PgClient,
  tenantId: string,
  from: number,
  to: number,
): Promise<string[]> {
  const sql = async (text: string, params?: unknown[]) => (await pg.query<Column>(text, params)).rows;
  await pg.query('BEGIN');
  try {
    for (const table of TENANT_TABLES) {
      const cols = await columns(sql, table);
      await pg.query(insertCopies(table, cols, table === 'tenants' ? 'id' : 'tenant_id'), [
        tenantId,
        from,
        to,
      ]);
    }
    await pg.query('COMMIT');
  } catch (error) {
    await pg.query('ROLLBACK');
    throw error;
  }
  await pg.query('ANALYZE');
  return cloneIds(pg, tenantId, from, to);
}

/**
 * The same copies of the tenant's vectors (the pgvector table of a PGlite or a server). HNSW
 * indexes are dropped for the bulk insert and built again after it with their own definition,
 * as an operator loading a store would: inserting one by one into the index is far slower.
 */
export async function cloneTenantVectors(
  sql: SqlClient,
  tenantId: string,
  from: number,
  to: number,
): Promise<void> {
  const indexes = await sql.query<{ indexname: string; indexdef: string }>(
    `SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'strata_vectors' AND indexdef ILIKE '%hnsw%'`,
  );
  for (const index of indexes) await sql.query(`DROP INDEX ${index.indexname}`);
  const cols = await columns((text, params) => sql.query<Column>(text, params), 'strata_vectors');
  await sql.query(insertCopies('strata_vectors', cols, 'tenant_id'), [tenantId, from, to]);
  for (const index of indexes) await sql.query(index.indexdef);
  await sql.query('ANALYZE strata_vectors');
}

/** The ids row `id` has in copies `from`..`to` (the same mapping as the copies use). */
export async function cloneIds(pg: PgClient, id: string, from: number, to: number): Promise<string[]> {
  const { rows } = await pg.query<{ id: string }>(
    `SELECT ${cloneId('$1::uuid')} AS id FROM generate_series($2::int, $3::int) AS n ORDER BY n`,
    [id, from, to],
  );
  return rows.map((row) => row.id);
}

/**
 * `count` more tenants, each with one empty KB and `userId` as its admin: the long tail of a
 * platform with many small customers. Their ids are returned in creation order with their KB's.
 */
export async function addEmptyTenants(
  pg: PgClient,
  userId: string,
  count: number,
): Promise<Array<{ tenantId: string; kbId: string }>> {
  const { rows } = await pg.query<{ tenant_id: string; kb_id: string }>(
    `WITH t AS (
       INSERT INTO tenants (id, slug, name)
       SELECT gen_random_uuid(), 'empty-' || n || '-' || substr(md5(random()::text), 1, 6), 'Empty ' || n
       FROM generate_series(1, $2::int) AS n
       RETURNING id
     ), m AS (
       INSERT INTO memberships (tenant_id, user_id, role) SELECT id, $1, 'admin' FROM t
     )
     INSERT INTO knowledge_bases (id, tenant_id, slug, name)
     SELECT gen_random_uuid(), id, 'notes', 'Notes' FROM t
     RETURNING tenant_id, id AS kb_id`,
    [userId, count],
  );
  await pg.query('ANALYZE');
  return rows.map((row) => ({ tenantId: row.tenant_id, kbId: row.kb_id }));
}
