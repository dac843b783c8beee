import type { EntityManager } from 'typeorm';
import type { KbScope } from '@strata/tenancy';
import { relationPair, updateReturning } from '@strata/storage';
import { entityKey } from '../extraction/entity-name';
import type { ChunkExtraction } from '../extraction/extraction';

/** What changed in a KB's mentions: the keys and pairs whose merged form must be recomputed. */
export interface MentionChange {
  entityKeys: string[];
  relationPairs: Array<[string, string]>;
}

/** An entity merged from its mentions. */
export interface MergedEntity {
  key: string;
  name: string;
  type: string;
  descriptions: string[];
  sourceChunkIds: string[];
}

/** A relation merged from its mentions. */
export interface MergedRelation {
  sourceKey: string;
  targetKey: string;
  keywords: string[];
  descriptions: string[];
  weight: number;
  sourceChunkIds: string[];
}

type Db = Pick<EntityManager, 'query'>;

/**
 * The graph's system of record: which chunk said what about which entity and relation. Writes
 * bump the KB's graph version so merges can tell that something changed under them.
 */
export const GraphMentions = {
  /** Replaces a document's mentions with what its chunks yielded. */
  async replaceDocument(
    db: Db,
    scope: KbScope,
    documentId: string,
    chunks: ReadonlyArray<{ chunkId: string; extraction: ChunkExtraction }>,
  ): Promise<MentionChange> {
    const removed = await this.removeDocument(db, scope, documentId);
    const entities: Array<Record<string, string>> = [];
    const relations: Array<Record<string, string | number>> = [];
    for (const { chunkId, extraction } of chunks) {
      for (const e of extraction.entities)
        entities.push({
          chunk_id: chunkId,
          key: entityKey(e.name),
          name: e.name,
          type: e.type,
          description: e.description,
        });
      for (const r of extraction.relations) {
        const [source, target] = relationPair(entityKey(r.source), entityKey(r.target));
        relations.push({
          chunk_id: chunkId,
          source_key: source,
          target_key: target,
          keywords: r.keywords,
          description: r.description,
          weight: r.weight,
        });
      }
    }
    if (entities.length > 0) {
      await db.query(
        `INSERT INTO graph_entity_mentions (tenant_id, kb_id, document_id, chunk_id, entity_key, name, type, description)
         SELECT $1, $2, $3, m.chunk_id::uuid, m.key, m.name, m.type, m.description
         FROM jsonb_to_recordset($4::jsonb) AS m(chunk_id text, key text, name text, type text, description text)
         ON CONFLICT DO NOTHING`,
        [scope.tenantId, scope.kbId, documentId, JSON.stringify(entities)],
      );
    }
    if (relations.length > 0) {
      await db.query(
        `INSERT INTO graph_relation_mentions
           (tenant_id, kb_id, document_id, chunk_id, source_key, target_key, keywords, description, weight)
         SELECT $1, $2, $3, m.chunk_id::uuid, m.source_key, m.target_key, m.keywords, m.description, m.weight
         FROM jsonb_to_recordset($4::jsonb)
           AS m(chunk_id text, source_key text, target_key text, keywords text, description text, weight double precision)
         ON CONFLICT DO NOTHING`,
        [scope.tenantId, scope.kbId, documentId, JSON.stringify(relations)],
      );
    }
    return {
      entityKeys: [...new Set([...removed.entityKeys, ...entities.map((e) => e.key)])],
      relationPairs: uniquePairs([
        ...removed.relationPairs,
        ...relations.map((r) => [String(r.source_key), String(r.target_key)] as [string, string]),
      ]),
    };
  },

  /** Removes a document's mentions; answers what they touched. */
  async removeDocument(db: Db, scope: KbScope, documentId: string): Promise<MentionChange> {
    // TypeORM answers DELETE … RETURNING with [rows, count]: updateReturning gives the rows.
    const entities = await updateReturning<{ entity_key: string }>(
      db,
      `DELETE FROM graph_entity_mentions WHERE tenant_id = $1 AND kb_id = $2 AND document_id = $3 RETURNING entity_key`,
      [scope.tenantId, scope.kbId, documentId],
    );
    const relations = await updateReturning<{ source_key: string; target_key: string }>(
      db,
      `DELETE FROM graph_relation_mentions WHERE tenant_id = $1 AND kb_id = $2 AND document_id = $3
       RETURNING source_key, target_key`,
      [scope.tenantId, scope.kbId, documentId],
    );
    await db.query(
      'UPDATE knowledge_bases SET graph_version = graph_version + 1 WHERE tenant_id = $1 AND id = $2',
      [scope.tenantId, scope.kbId],
    );
    return {
      entityKeys: [...new Set(entities.map((e) => e.entity_key))],
      relationPairs: uniquePairs(relations.map((r) => [r.source_key, r.target_key])),
    };
  },

  async version(db: Db, scope: KbScope): Promise<string | null> {
    const [row] = await db.query(
      'SELECT graph_version::text AS v FROM knowledge_bases WHERE tenant_id = $1 AND id = $2',
      [scope.tenantId, scope.kbId],
    );
    return row?.v ?? null;
  },

  /** The merged form of the given entities; keys without mentions are absent. */
  async mergedEntities(db: Db, scope: KbScope, keys: readonly string[]): Promise<MergedEntity[]> {
    if (keys.length === 0) return [];
    const rows: Array<{
      key: string;
      name: string;
      type: string;
      descriptions: string[];
      sources: string[];
    }> = await db.query(
      `SELECT entity_key AS key,
                (array_agg(name ORDER BY document_id, chunk_id))[1] AS name,
                mode() WITHIN GROUP (ORDER BY type) AS type,
                array_remove(array_agg(DISTINCT description), '') AS descriptions,
                array_agg(DISTINCT chunk_id::text) AS sources
         FROM graph_entity_mentions
         WHERE tenant_id = $1 AND kb_id = $2 AND entity_key = ANY($3::text[])
         GROUP BY entity_key`,
      [scope.tenantId, scope.kbId, [...keys]],
    );
    return rows.map((r) => ({
      key: r.key,
      name: r.name,
      type: r.type,
      descriptions: r.descriptions,
      sourceChunkIds: r.sources,
    }));
  },

  /** The merged form of the given relations; pairs without mentions are absent. */
  async mergedRelations(
    db: Db,
    scope: KbScope,
    pairs: ReadonlyArray<readonly [string, string]>,
  ): Promise<MergedRelation[]> {
    if (pairs.length === 0) return [];
    const rows: Array<{
      source_key: string;
      target_key: string;
      keywords: string[];
      descriptions: string[];
      weight: number;
      sources: string[];
    }> = await db.query(
      `SELECT m.source_key, m.target_key,
              array_remove(array_agg(DISTINCT m.keywords), '') AS keywords,
              array_remove(array_agg(DISTINCT m.description), '') AS descriptions,
              sum(m.weight) AS weight,
              array_agg(DISTINCT m.chunk_id::text) AS sources
       FROM graph_relation_mentions m
       JOIN unnest($3::text[], $4::text[]) AS p(source_key, target_key)
         ON p.source_key = m.source_key AND p.target_key = m.target_key
       WHERE m.tenant_id = $1 AND m.kb_id = $2
       GROUP BY m.source_key, m.target_key`,
      [scope.tenantId, scope.kbId, pairs.map((p) => p[0]), pairs.map((p) => p[1])],
    );
    return rows.map((r) => ({
      sourceKey: r.source_key,
      targetKey: r.target_key,
      keywords: r.keywords,
      descriptions: r.descriptions,
      weight: Number(r.weight),
      sourceChunkIds: r.sources,
    }));
  },
};

function uniquePairs(pairs: Array<[string, string]>): Array<[string, string]> {
  const seen = new Map<string, [string, string]>();
  for (const pair of pairs) seen.set(`${pair[0]}\u0000${pair[1]}`, pair);
  return [...seen.values()];
}
