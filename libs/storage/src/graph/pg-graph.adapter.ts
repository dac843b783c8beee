import { slices, uniqueBy } from '@strata/core';
import type { KbScope, TenantScope } from '@strata/tenancy';
import type { SqlClient } from '../vectors/sql-client';
import {
  type GraphEntity,
  type GraphKeys,
  type GraphRelation,
  GraphStore,
  type NeighbourhoodRequest,
  type RankedEntity,
  type Subgraph,
} from './graph.port';

interface EntityRow {
  id: string;
  key: string;
  name: string;
  type: string;
  description: string;
  source_chunk_ids: string[];
  degree: number;
}

interface RelationRow {
  id: string;
  source_key: string;
  target_key: string;
  keywords: string;
  description: string;
  weight: number;
  source_chunk_ids: string[];
}

// uuid[] read as text[]: every driver parses that into an array of strings.
const entityColumns = (alias = '') =>
  ['id', 'key', 'name', 'type', 'description', 'degree']
    .map((column) => `${alias}${column}`)
    .concat(`${alias}source_chunk_ids::text[] AS source_chunk_ids`)
    .join(', ');
const ENTITY_COLUMNS = entityColumns();
const RELATION_COLUMNS =
  'id, source_key, target_key, keywords, description, weight, source_chunk_ids::text[] AS source_chunk_ids';

/**
 * Entities or relations per upsert statement: a graph batch touches a thousand or more, and one
 * statement for all of them held the embedded database's single connection for up to 140 ms.
 */
const UPSERT_BATCH = 250;

/**
 * Relations per upsert statement: fewer, as each also moves its ends' degrees (an entity row
 * rewritten with its indexes, about 40 µs in PGlite, two per new relation).
 */
const RELATION_UPSERT_BATCH = 125;

/**
 * The rest of a statement whose `changed` CTE inserted (`+`) or deleted (`-`) relations (rows
 * `filter` keeps, with their `source_key` and `target_key`): each end's degree moves by the
 * relations it gained or lost, in the same statement. Recounting the touched entities' relations
 * instead cost a pass over the KB's relations (PostgreSQL hashed them) or, planned per key before
 * statistics knew the KB, a pass per key; and updating every touched entity in one statement held
 * the embedded database's one connection 60-140 ms per graph batch.
 */
const DEGREE_CHANGE = (sign: '+' | '-', filter: string) =>
  `ends AS (
     SELECT source_key AS key FROM changed ${filter} UNION ALL SELECT target_key FROM changed ${filter}
   ),
   moved AS (SELECT key, count(*)::integer AS n FROM ends GROUP BY key)
   UPDATE graph_entities e SET degree = e.degree ${sign} moved.n
   FROM moved
   WHERE e.tenant_id = $1 AND e.kb_id = $2 AND e.key = moved.key`;

/**
 * The graph in PostgreSQL tables (`graph_entities`, `graph_relations`; see the create-graph
 * migration): every statement starts from the tenant and KB, which lead every index.
 * Neighbourhoods are walked with a recursive CTE. Entity degrees are kept up to date on each write
 * so "best-connected first" is an index scan: the statement that inserts or deletes relations
 * moves their ends' degrees by as many, in the same snapshot (see DEGREE_CHANGE).
 */
export class PgGraphStore extends GraphStore {
  constructor(
    private readonly sql: SqlClient,
    readonly description: string,
  ) {
    super();
  }

  async upsertEntities(scope: KbScope, entities: readonly GraphEntity[]): Promise<void> {
    // Rows in key order: concurrent merges into one KB then lock them in the same order.
    for (const slice of slices([...entities].sort(byKey), UPSERT_BATCH))
      await this.upsertEntitySlice(scope, slice);
  }

  private async upsertEntitySlice(scope: KbScope, entities: readonly GraphEntity[]): Promise<void> {
    // A row that would not change is left as it is: a much-mentioned entity's merged form stops
    // changing once its mentions are past those it is made from, and later batches only touch it.
    await this.sql.query(
      `INSERT INTO graph_entities (tenant_id, kb_id, key, id, name, type, description, source_chunk_ids)
       SELECT $1, $2, e.key, e.id::uuid, e.name, e.type, e.description,
              ARRAY(SELECT jsonb_array_elements_text(e.sources))::uuid[]
       FROM jsonb_to_recordset($3::jsonb)
         AS e(key text, id text, name text, type text, description text, sources jsonb)
       ON CONFLICT (tenant_id, kb_id, key) DO UPDATE SET
         name = excluded.name, type = excluded.type, description = excluded.description,
         source_chunk_ids = excluded.source_chunk_ids
       WHERE (graph_entities.name, graph_entities.type, graph_entities.description,
              graph_entities.source_chunk_ids)
         IS DISTINCT FROM (excluded.name, excluded.type, excluded.description, excluded.source_chunk_ids)`,
      [
        scope.tenantId,
        scope.kbId,
        JSON.stringify(
          entities.map((e) => ({
            key: e.key,
            id: e.id,
            name: e.name,
            type: e.type,
            description: e.description,
            sources: e.sourceChunkIds,
          })),
        ),
      ],
    );
  }

  async upsertRelations(scope: KbScope, relations: readonly GraphRelation[]): Promise<void> {
    for (const slice of slices([...relations].sort(byPair), RELATION_UPSERT_BATCH)) {
      await this.upsertRelationSlice(scope, slice);
    }
  }

  private async upsertRelationSlice(scope: KbScope, relations: readonly GraphRelation[]): Promise<void> {
    // Only rows inserted (not updated: their xmax is the updater's) count towards degrees.
    await this.sql.query(
      `WITH changed AS (
         INSERT INTO graph_relations
           (tenant_id, kb_id, source_key, target_key, id, keywords, description, weight, source_chunk_ids)
         SELECT $1, $2, r.source_key, r.target_key, r.id::uuid, r.keywords, r.description, r.weight,
                ARRAY(SELECT jsonb_array_elements_text(r.sources))::uuid[]
         FROM jsonb_to_recordset($3::jsonb) AS r(source_key text, target_key text, id text, keywords text,
           description text, weight double precision, sources jsonb)
         ON CONFLICT (tenant_id, kb_id, source_key, target_key) DO UPDATE SET
           keywords = excluded.keywords, description = excluded.description, weight = excluded.weight,
           source_chunk_ids = excluded.source_chunk_ids
         WHERE (graph_relations.keywords, graph_relations.description, graph_relations.weight,
                graph_relations.source_chunk_ids)
           IS DISTINCT FROM (excluded.keywords, excluded.description, excluded.weight, excluded.source_chunk_ids)
         RETURNING source_key, target_key, xmax = 0 AS inserted
       ),
       ${DEGREE_CHANGE('+', 'WHERE inserted')}`,
      [
        scope.tenantId,
        scope.kbId,
        JSON.stringify(
          relations.map((r) => ({
            source_key: r.sourceKey,
            target_key: r.targetKey,
            id: r.id,
            keywords: r.keywords,
            description: r.description,
            weight: r.weight,
            sources: r.sourceChunkIds,
          })),
        ),
      ],
    );
  }

  async deleteEntities(scope: KbScope, keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.sql.query(
      `WITH changed AS (
         DELETE FROM graph_relations
         WHERE tenant_id = $1 AND kb_id = $2 AND (source_key = ANY($3::text[]) OR target_key = ANY($3::text[]))
         RETURNING source_key, target_key
       ),
       ${DEGREE_CHANGE('-', '')}`,
      [scope.tenantId, scope.kbId, [...keys]],
    );
    await this.sql.query(
      `DELETE FROM graph_entities WHERE tenant_id = $1 AND kb_id = $2 AND key = ANY($3::text[])`,
      [scope.tenantId, scope.kbId, [...keys]],
    );
  }

  async deleteRelations(scope: KbScope, pairs: ReadonlyArray<readonly [string, string]>): Promise<void> {
    if (pairs.length === 0) return;
    await this.sql.query(
      `WITH changed AS (
         DELETE FROM graph_relations r
         USING unnest($3::text[], $4::text[]) AS p(source_key, target_key)
         WHERE r.tenant_id = $1 AND r.kb_id = $2 AND r.source_key = p.source_key AND r.target_key = p.target_key
         RETURNING r.source_key, r.target_key
       ),
       ${DEGREE_CHANGE('-', '')}`,
      [scope.tenantId, scope.kbId, pairs.map((p) => p[0]), pairs.map((p) => p[1])],
    );
  }

  async entities(scope: KbScope, keys: readonly string[]): Promise<RankedEntity[]> {
    if (keys.length === 0) return [];
    const rows = await this.sql.query<EntityRow>(
      `SELECT ${ENTITY_COLUMNS} FROM graph_entities WHERE tenant_id = $1 AND kb_id = $2 AND key = ANY($3::text[])`,
      [scope.tenantId, scope.kbId, [...keys]],
    );
    return rows.map(toEntity);
  }

  async entitiesById(scope: KbScope, ids: readonly string[]): Promise<RankedEntity[]> {
    if (ids.length === 0) return [];
    const rows = await this.sql.query<EntityRow>(
      `SELECT ${ENTITY_COLUMNS} FROM graph_entities WHERE tenant_id = $1 AND kb_id = $2 AND id = ANY($3::uuid[])`,
      [scope.tenantId, scope.kbId, [...ids]],
    );
    return rows.map(toEntity);
  }

  async relationsById(scope: KbScope, ids: readonly string[]): Promise<GraphRelation[]> {
    if (ids.length === 0) return [];
    const rows = await this.sql.query<RelationRow>(
      `SELECT ${RELATION_COLUMNS} FROM graph_relations WHERE tenant_id = $1 AND kb_id = $2 AND id = ANY($3::uuid[])`,
      [scope.tenantId, scope.kbId, [...ids]],
    );
    return rows.map(toRelation);
  }

  async relationsOf(scope: KbScope, keys: readonly string[], limit: number): Promise<GraphRelation[]> {
    if (keys.length === 0) return [];
    const rows = await this.sql.query<RelationRow>(
      `SELECT ${RELATION_COLUMNS} FROM graph_relations
       WHERE tenant_id = $1 AND kb_id = $2 AND (source_key = ANY($3::text[]) OR target_key = ANY($3::text[]))
       ORDER BY weight DESC, source_key, target_key
       LIMIT $4`,
      [scope.tenantId, scope.kbId, [...keys], limit],
    );
    return rows.map(toRelation);
  }

  async relationsOfEach(scope: KbScope, keys: readonly string[], perKey: number): Promise<GraphRelation[]> {
    if (keys.length === 0) return [];
    const rows = await this.sql.query<RelationRow & { ord: number }>(
      `SELECT k.ord, r.* FROM unnest($3::text[]) WITH ORDINALITY AS k(key, ord)
       CROSS JOIN LATERAL (
         SELECT ${RELATION_COLUMNS} FROM graph_relations
         WHERE tenant_id = $1 AND kb_id = $2 AND (source_key = k.key OR target_key = k.key)
         ORDER BY weight DESC, source_key, target_key
         LIMIT $4
       ) r
       ORDER BY k.ord, r.weight DESC, r.source_key, r.target_key`,
      [scope.tenantId, scope.kbId, [...keys], perKey],
    );
    return uniqueBy(rows.map(toRelation), (r) => r.id);
  }

  async neighbourhood(scope: KbScope, request: NeighbourhoodRequest): Promise<Subgraph> {
    const { startKey, maxDepth, maxNodes } = request;
    // One row more than asked tells whether anything was left out.
    const rows =
      startKey === null
        ? await this.sql.query<EntityRow>(
            `SELECT ${ENTITY_COLUMNS} FROM graph_entities WHERE tenant_id = $1 AND kb_id = $2
             ORDER BY degree DESC, key LIMIT $3`,
            [scope.tenantId, scope.kbId, maxNodes + 1],
          )
        : await this.sql.query<EntityRow>(
            `WITH RECURSIVE walk (key, depth) AS (
               SELECT key, 0 FROM graph_entities WHERE tenant_id = $1 AND kb_id = $2 AND key = $3
               UNION
               SELECT n.key, w.depth + 1
               FROM walk w
               CROSS JOIN LATERAL (
                 SELECT r.target_key AS key FROM graph_relations r
                 WHERE r.tenant_id = $1 AND r.kb_id = $2 AND r.source_key = w.key
                 UNION ALL
                 SELECT r.source_key FROM graph_relations r
                 WHERE r.tenant_id = $1 AND r.kb_id = $2 AND r.target_key = w.key
               ) n
               WHERE w.depth < $4
             ),
             reached AS (SELECT key, min(depth) AS depth FROM walk GROUP BY key)
             SELECT ${entityColumns('e.')}
             FROM reached JOIN graph_entities e ON e.tenant_id = $1 AND e.kb_id = $2 AND e.key = reached.key
             ORDER BY reached.depth, e.degree DESC, e.key
             LIMIT $5`,
            [scope.tenantId, scope.kbId, startKey, maxDepth, maxNodes + 1],
          );
    const truncated = rows.length > maxNodes;
    const entities = rows.slice(0, maxNodes).map(toEntity);
    const keys = entities.map((e) => e.key);
    const relations =
      keys.length < 2
        ? []
        : (
            await this.sql.query<RelationRow>(
              `SELECT ${RELATION_COLUMNS} FROM graph_relations
               WHERE tenant_id = $1 AND kb_id = $2 AND source_key = ANY($3::text[]) AND target_key = ANY($3::text[])
               ORDER BY source_key, target_key`,
              [scope.tenantId, scope.kbId, keys],
            )
          ).map(toRelation);
    return { entities, relations, truncated };
  }

  async labels(
    scope: KbScope,
    search: string,
    limit: number,
  ): Promise<Array<{ name: string; degree: number }>> {
    const pattern = `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const rows = await this.sql.query<{ name: string; degree: number }>(
      `SELECT name, degree FROM graph_entities
       WHERE tenant_id = $1 AND kb_id = $2 AND ($3 = '%%' OR name ILIKE $3)
       ORDER BY degree DESC, key LIMIT $4`,
      [scope.tenantId, scope.kbId, pattern, limit],
    );
    return rows.map((r) => ({ name: r.name, degree: Number(r.degree) }));
  }

  async count(scope: KbScope): Promise<{ entities: number; relations: number }> {
    const [row] = await this.sql.query<{ entities: string; relations: string }>(
      `SELECT (SELECT count(*) FROM graph_entities WHERE tenant_id = $1 AND kb_id = $2) AS entities,
              (SELECT count(*) FROM graph_relations WHERE tenant_id = $1 AND kb_id = $2) AS relations`,
      [scope.tenantId, scope.kbId],
    );
    return { entities: Number(row.entities), relations: Number(row.relations) };
  }

  async keys(scope: KbScope): Promise<GraphKeys> {
    const params = [scope.tenantId, scope.kbId];
    const entities = await this.sql.query<{ key: string }>(
      'SELECT key FROM graph_entities WHERE tenant_id = $1 AND kb_id = $2 ORDER BY key',
      params,
    );
    const relations = await this.sql.query<{ source_key: string; target_key: string }>(
      `SELECT source_key, target_key FROM graph_relations WHERE tenant_id = $1 AND kb_id = $2
       ORDER BY source_key, target_key`,
      params,
    );
    return {
      entityKeys: entities.map((row) => row.key),
      relationPairs: relations.map((row) => [row.source_key, row.target_key]),
    };
  }

  async deleteKnowledgeBase(scope: KbScope): Promise<void> {
    await this.sql.query('DELETE FROM graph_relations WHERE tenant_id = $1 AND kb_id = $2', [
      scope.tenantId,
      scope.kbId,
    ]);
    await this.sql.query('DELETE FROM graph_entities WHERE tenant_id = $1 AND kb_id = $2', [
      scope.tenantId,
      scope.kbId,
    ]);
  }

  async deleteTenant(scope: TenantScope): Promise<void> {
    await this.sql.query('DELETE FROM graph_relations WHERE tenant_id = $1', [scope.tenantId]);
    await this.sql.query('DELETE FROM graph_entities WHERE tenant_id = $1', [scope.tenantId]);
  }

  async ping(): Promise<void> {
    await this.sql.query('SELECT 1 FROM graph_entities LIMIT 1');
  }

  async close(): Promise<void> {
    await this.sql.close();
  }
}

const compareKeys = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byKey = (a: GraphEntity, b: GraphEntity) => compareKeys(a.key, b.key);
const byPair = (a: GraphRelation, b: GraphRelation) =>
  compareKeys(a.sourceKey, b.sourceKey) || compareKeys(a.targetKey, b.targetKey);

const toEntity = (row: EntityRow): RankedEntity => ({
  id: row.id,
  key: row.key,
  name: row.name,
  type: row.type,
  description: row.description,
  sourceChunkIds: row.source_chunk_ids,
  degree: Number(row.degree),
});

const toRelation = (row: RelationRow): GraphRelation => ({
  id: row.id,
  sourceKey: row.source_key,
  targetKey: row.target_key,
  keywords: row.keywords,
  description: row.description,
  weight: Number(row.weight),
  sourceChunkIds: row.source_chunk_ids,
});
