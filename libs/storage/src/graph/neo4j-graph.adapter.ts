import neo4j, { type Driver, type RecordShape } from 'neo4j-driver';
import { uniqueBy } from '@strata/core';
import type { KbScope, TenantScope } from '@strata/tenancy';
import {
  type GraphEntity,
  type GraphKeys,
  type GraphRelation,
  GraphStore,
  type NeighbourhoodRequest,
  type RankedEntity,
  type Subgraph,
} from './graph.port';

export interface Neo4jSettings {
  url: string;
  user: string;
  password: string | null;
  database: string | null;
}

const PURGE_BATCH = 5_000;

/**
 * The graph in Neo4j: `(:Entity)` nodes joined by `[:RELATED]` relationships (stored from the
 * smaller key to the larger, matched in either direction), each carrying `tenant_id` and `kb_id`,
 * with composite indexes led by both. Every statement is parameterised and matches on both;
 * neighbourhoods are walked level by level so the depth never has to be written into a query.
 */
export class Neo4jGraphStore extends GraphStore {
  readonly description: string;
  private readonly driver: Driver;
  private schema: Promise<void> | null = null;

  constructor(private readonly settings: Neo4jSettings) {
    super();
    this.driver = neo4j.driver(
      settings.url,
      settings.password === null ? undefined : neo4j.auth.basic(settings.user, settings.password),
      { disableLosslessIntegers: true },
    );
    this.description = `neo4j (${new URL(settings.url).host})`;
  }

  async upsertEntities(scope: KbScope, entities: readonly GraphEntity[]): Promise<void> {
    if (entities.length === 0) return;
    await this.run(
      `UNWIND $rows AS row
       MERGE (e:Entity {tenant_id: $tenantId, kb_id: $kbId, key: row.key})
       ON CREATE SET e.degree = 0
       SET e.id = row.id, e.name = row.name, e.type = row.type, e.description = row.description,
           e.source_chunk_ids = row.sourceChunkIds`,
      scope,
      { rows: entities.map((e) => ({ ...e })) },
    );
  }

  async upsertRelations(scope: KbScope, relations: readonly GraphRelation[]): Promise<void> {
    if (relations.length === 0) return;
    await this.run(
      `UNWIND $rows AS row
       MATCH (a:Entity {tenant_id: $tenantId, kb_id: $kbId, key: row.sourceKey})
       MATCH (b:Entity {tenant_id: $tenantId, kb_id: $kbId, key: row.targetKey})
       MERGE (a)-[r:RELATED {tenant_id: $tenantId, kb_id: $kbId}]->(b)
       SET r.id = row.id, r.source_key = row.sourceKey, r.target_key = row.targetKey,
           r.keywords = row.keywords, r.description = row.description, r.weight = row.weight,
           r.source_chunk_ids = row.sourceChunkIds`,
      scope,
      { rows: relations.map((r) => ({ ...r })) },
    );
    await this.refreshDegrees(
      scope,
      relations.flatMap((r) => [r.sourceKey, r.targetKey]),
    );
  }

  async deleteEntities(scope: KbScope, keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    const records = await this.run<{ neighbours: string[] }>(
      `MATCH (e:Entity {tenant_id: $tenantId, kb_id: $kbId}) WHERE e.key IN $keys
       OPTIONAL MATCH (e)-[:RELATED {tenant_id: $tenantId, kb_id: $kbId}]-(n:Entity)
       WITH collect(DISTINCT e) AS gone, collect(DISTINCT n.key) AS neighbours
       FOREACH (x IN gone | DETACH DELETE x)
       RETURN neighbours`,
      scope,
      { keys: [...keys] },
    );
    const neighbours = records[0]?.neighbours ?? [];
    await this.refreshDegrees(
      scope,
      neighbours.filter((key) => !keys.includes(key)),
    );
  }

  async deleteRelations(scope: KbScope, pairs: ReadonlyArray<readonly [string, string]>): Promise<void> {
    if (pairs.length === 0) return;
    await this.run(
      `UNWIND $pairs AS pair
       MATCH (:Entity {tenant_id: $tenantId, kb_id: $kbId, key: pair[0]})
             -[r:RELATED {tenant_id: $tenantId, kb_id: $kbId}]-
             (:Entity {tenant_id: $tenantId, kb_id: $kbId, key: pair[1]})
       DELETE r`,
      scope,
      { pairs: pairs.map((p) => [...p]) },
    );
    await this.refreshDegrees(scope, pairs.flat());
  }

  async entities(scope: KbScope, keys: readonly string[]): Promise<RankedEntity[]> {
    if (keys.length === 0) return [];
    return this.readEntities(scope, 'e.key IN $values', [...keys]);
  }

  async entitiesById(scope: KbScope, ids: readonly string[]): Promise<RankedEntity[]> {
    if (ids.length === 0) return [];
    return this.readEntities(scope, 'e.id IN $values', [...ids]);
  }

  async relationsById(scope: KbScope, ids: readonly string[]): Promise<GraphRelation[]> {
    if (ids.length === 0) return [];
    const records = await this.run<{ r: RelationProperties }>(
      `MATCH (:Entity {tenant_id: $tenantId, kb_id: $kbId})-[r:RELATED {tenant_id: $tenantId, kb_id: $kbId}]->(:Entity)
       WHERE r.id IN $ids RETURN properties(r) AS r`,
      scope,
      { ids: [...ids] },
    );
    return records.map((record) => toRelation(record.r));
  }

  async relationsOf(scope: KbScope, keys: readonly string[], limit: number): Promise<GraphRelation[]> {
    if (keys.length === 0) return [];
    const records = await this.run<{ r: RelationProperties }>(
      `MATCH (e:Entity {tenant_id: $tenantId, kb_id: $kbId})-[rel:RELATED {tenant_id: $tenantId, kb_id: $kbId}]-(:Entity)
       WHERE e.key IN $keys
       WITH DISTINCT rel
       RETURN properties(rel) AS r
       ORDER BY rel.weight DESC, rel.source_key, rel.target_key
       LIMIT $limit`,
      scope,
      { keys: [...keys], limit: neo4j.int(limit) },
    );
    return records.map((record) => toRelation(record.r));
  }

  async relationsOfEach(scope: KbScope, keys: readonly string[], perKey: number): Promise<GraphRelation[]> {
    if (keys.length === 0) return [];
    const records = await this.run<{ r: RelationProperties }>(
      `UNWIND range(0, size($keys) - 1) AS i
       CALL {
         WITH i
         MATCH (e:Entity {tenant_id: $tenantId, kb_id: $kbId, key: $keys[i]})-[rel:RELATED {tenant_id: $tenantId, kb_id: $kbId}]-(:Entity)
         RETURN rel ORDER BY rel.weight DESC, rel.source_key, rel.target_key LIMIT $perKey
       }
       RETURN properties(rel) AS r ORDER BY i, rel.weight DESC, rel.source_key, rel.target_key`,
      scope,
      { keys: [...keys], perKey: neo4j.int(perKey) },
    );
    return uniqueBy(
      records.map((record) => toRelation(record.r)),
      (r) => r.id,
    );
  }

  async neighbourhood(scope: KbScope, request: NeighbourhoodRequest): Promise<Subgraph> {
    const { startKey, maxDepth, maxNodes } = request;
    let chosen: RankedEntity[];
    let truncated: boolean;
    if (startKey === null) {
      const records = await this.run<{ e: EntityProperties }>(
        `MATCH (e:Entity {tenant_id: $tenantId, kb_id: $kbId})
         RETURN properties(e) AS e ORDER BY e.degree DESC, e.key LIMIT $limit`,
        scope,
        { limit: neo4j.int(maxNodes + 1) },
      );
      truncated = records.length > maxNodes;
      chosen = records.slice(0, maxNodes).map((record) => toEntity(record.e));
    } else {
      const [start] = await this.entities(scope, [startKey]);
      if (!start) return { entities: [], relations: [], truncated: false };
      // Breadth first, one level per query: nearest first, then best-connected.
      const depthOf = new Map<string, number>([[startKey, 0]]);
      let frontier = [startKey];
      for (let depth = 1; depth <= maxDepth && frontier.length > 0; depth++) {
        const records = await this.run<{ key: string }>(
          `MATCH (e:Entity {tenant_id: $tenantId, kb_id: $kbId})-[:RELATED {tenant_id: $tenantId, kb_id: $kbId}]-(n:Entity)
           WHERE e.key IN $frontier RETURN DISTINCT n.key AS key`,
          scope,
          { frontier },
        );
        frontier = records.map((r) => r.key).filter((key) => !depthOf.has(key));
        for (const key of frontier) depthOf.set(key, depth);
      }
      const reached = await this.entities(scope, [...depthOf.keys()]);
      reached.sort(
        (a, b) => depthOf.get(a.key)! - depthOf.get(b.key)! || b.degree - a.degree || compare(a.key, b.key),
      );
      truncated = reached.length > maxNodes;
      chosen = reached.slice(0, maxNodes);
    }
    const keys = chosen.map((e) => e.key);
    const relations =
      keys.length < 2
        ? []
        : (
            await this.run<{ r: RelationProperties }>(
              `MATCH (a:Entity {tenant_id: $tenantId, kb_id: $kbId})-[rel:RELATED {tenant_id: $tenantId, kb_id: $kbId}]->(b:Entity)
               WHERE a.key IN $keys AND b.key IN $keys
               RETURN properties(rel) AS r ORDER BY rel.source_key, rel.target_key`,
              scope,
              { keys },
            )
          ).map((record) => toRelation(record.r));
    return { entities: chosen, relations, truncated };
  }

  async labels(
    scope: KbScope,
    search: string,
    limit: number,
  ): Promise<Array<{ name: string; degree: number }>> {
    const records = await this.run<{ name: string; degree: number }>(
      `MATCH (e:Entity {tenant_id: $tenantId, kb_id: $kbId})
       WHERE $search = '' OR toLower(e.name) CONTAINS toLower($search)
       RETURN e.name AS name, e.degree AS degree ORDER BY e.degree DESC, e.key LIMIT $limit`,
      scope,
      { search, limit: neo4j.int(limit) },
    );
    return records.map((r) => ({ name: r.name, degree: Number(r.degree) }));
  }

  async count(scope: KbScope): Promise<{ entities: number; relations: number }> {
    const [entities] = await this.run<{ n: number }>(
      'MATCH (e:Entity {tenant_id: $tenantId, kb_id: $kbId}) RETURN count(e) AS n',
      scope,
    );
    const [relations] = await this.run<{ n: number }>(
      `MATCH (:Entity {tenant_id: $tenantId, kb_id: $kbId})-[r:RELATED {tenant_id: $tenantId, kb_id: $kbId}]->(:Entity)
       RETURN count(r) AS n`,
      scope,
    );
    return { entities: Number(entities.n), relations: Number(relations.n) };
  }

  async keys(scope: KbScope): Promise<GraphKeys> {
    const entities = await this.run<{ key: string }>(
      'MATCH (e:Entity {tenant_id: $tenantId, kb_id: $kbId}) RETURN e.key AS key ORDER BY key',
      scope,
    );
    const relations = await this.run<{ source: string; target: string }>(
      `MATCH (:Entity {tenant_id: $tenantId, kb_id: $kbId})-[r:RELATED {tenant_id: $tenantId, kb_id: $kbId}]->(:Entity)
       RETURN r.source_key AS source, r.target_key AS target ORDER BY source, target`,
      scope,
    );
    return {
      entityKeys: entities.map((row) => row.key),
      relationPairs: relations.map((row) => [row.source, row.target]),
    };
  }

  async deleteKnowledgeBase(scope: KbScope): Promise<void> {
    await this.purge('MATCH (e:Entity {tenant_id: $tenantId, kb_id: $kbId})', {
      tenantId: scope.tenantId,
      kbId: scope.kbId,
    });
  }

  async deleteTenant(scope: TenantScope): Promise<void> {
    await this.purge('MATCH (e:Entity {tenant_id: $tenantId})', { tenantId: scope.tenantId });
  }

  async ping(): Promise<void> {
    await this.driver.executeQuery('RETURN 1', {}, this.queryConfig());
  }

  async close(): Promise<void> {
    await this.driver.close();
  }

  /** Creates the indexes once per process (idempotent on the server). */
  private ensureSchema(): Promise<void> {
    this.schema ??= (async () => {
      for (const statement of [
        'CREATE INDEX strata_entity_key IF NOT EXISTS FOR (e:Entity) ON (e.tenant_id, e.kb_id, e.key)',
        'CREATE INDEX strata_entity_id IF NOT EXISTS FOR (e:Entity) ON (e.tenant_id, e.kb_id, e.id)',
        'CREATE INDEX strata_entity_degree IF NOT EXISTS FOR (e:Entity) ON (e.tenant_id, e.kb_id, e.degree)',
        'CREATE INDEX strata_entity_tenant IF NOT EXISTS FOR (e:Entity) ON (e.tenant_id)',
        'CREATE INDEX strata_related_scope IF NOT EXISTS FOR ()-[r:RELATED]-() ON (r.tenant_id, r.kb_id, r.id)',
      ])
        await this.driver.executeQuery(statement, {}, this.queryConfig());
    })().catch((error: unknown) => {
      this.schema = null;
      throw error;
    });
    return this.schema;
  }

  private async run<T extends RecordShape>(
    query: string,
    scope: TenantScope | KbScope,
    params: Record<string, unknown> = {},
  ): Promise<T[]> {
    await this.ensureSchema();
    const { records } = await this.driver.executeQuery(
      query,
      { tenantId: scope.tenantId, kbId: 'kbId' in scope ? scope.kbId : null, ...params },
      this.queryConfig(),
    );
    return records.map((record) => record.toObject() as T);
  }

  private async readEntities(scope: KbScope, where: string, values: string[]): Promise<RankedEntity[]> {
    const records = await this.run<{ e: EntityProperties }>(
      `MATCH (e:Entity {tenant_id: $tenantId, kb_id: $kbId}) WHERE ${where} RETURN properties(e) AS e`,
      scope,
      { values },
    );
    return records.map((record) => toEntity(record.e));
  }

  private async refreshDegrees(scope: KbScope, keys: readonly string[]): Promise<void> {
    const distinct = [...new Set(keys)];
    if (distinct.length === 0) return;
    await this.run(
      `MATCH (e:Entity {tenant_id: $tenantId, kb_id: $kbId}) WHERE e.key IN $keys
       SET e.degree = size([(e)-[r:RELATED {tenant_id: $tenantId, kb_id: $kbId}]-(:Entity) | r])`,
      scope,
      { keys: distinct },
    );
  }

  /** Deletes matched entities (and their relationships) in batches, so a large KB is not one transaction. */
  private async purge(match: string, params: Record<string, unknown>): Promise<void> {
    await this.ensureSchema();
    for (;;) {
      const { records } = await this.driver.executeQuery(
        `${match} WITH e LIMIT $batch DETACH DELETE e RETURN count(*) AS n`,
        { ...params, batch: neo4j.int(PURGE_BATCH) },
        this.queryConfig(),
      );
      if (Number(records[0]?.get('n') ?? 0) === 0) return;
    }
  }

  private queryConfig() {
    return this.settings.database ? { database: this.settings.database } : {};
  }
}

interface EntityProperties {
  id: string;
  key: string;
  name: string;
  type: string;
  description: string;
  source_chunk_ids: string[];
  degree: number;
}

interface RelationProperties {
  id: string;
  source_key: string;
  target_key: string;
  keywords: string;
  description: string;
  weight: number;
  source_chunk_ids: string[];
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const toEntity = (p: EntityProperties): RankedEntity => ({
  id: p.id,
  key: p.key,
  name: p.name,
  type: p.type,
  description: p.description,
  sourceChunkIds: p.source_chunk_ids ?? [],
  degree: Number(p.degree ?? 0),
});

const toRelation = (p: RelationProperties): GraphRelation => ({
  id: p.id,
  sourceKey: p.source_key,
  targetKey: p.target_key,
  keywords: p.keywords,
  description: p.description,
  weight: Number(p.weight),
  sourceChunkIds: p.source_chunk_ids ?? [],
});
