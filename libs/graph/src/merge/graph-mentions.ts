import type { EntityManager } from 'typeorm';
import { slices } from '@strata/core';
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
  /** An editor's description, which replaces the merged one. */
  editedDescription: string | null;
  sourceChunkIds: string[];
}

/** A relation merged from its mentions. */
export interface MergedRelation {
  sourceKey: string;
  targetKey: string;
  keywords: string[];
  descriptions: string[];
  editedDescription: string | null;
  weight: number;
  sourceChunkIds: string[];
}

/** What extraction found in each chunk of one document. */
export interface DocumentExtraction {
  documentId: string;
  chunks: ReadonlyArray<{ chunkId: string; extraction: ChunkExtraction }>;
}

type Db = Pick<EntityManager, 'query'>;

/**
 * Keys or pairs read per statement when merging: a graph batch touches a thousand or more, and
 * one statement for all of them held the embedded database's single connection for 50-140 ms.
 */
const READ_SLICE = 250;

async function inSlices<T, R>(items: readonly T[], read: (slice: T[]) => Promise<R[]>): Promise<R[]> {
  const results: R[] = [];
  for (const slice of slices(items, READ_SLICE)) results.push(...(await read(slice)));
  return results;
}

/**
 * The graph's system of record: which chunk said what about which entity and relation. Writes
 * bump the KB's graph version so merges can tell that something changed under them.
 */
export const GraphMentions = {
  /** Replaces each document's mentions with what its chunks yielded, in one statement per table. */
  async replaceDocuments(
    db: Db,
    scope: KbScope,
    documents: readonly DocumentExtraction[],
  ): Promise<MentionChange> {
    const removed = await this.removeDocuments(
      db,
      scope,
      documents.map((d) => d.documentId),
    );
    // Names an editor merged into another entity go to that entity.
    const resolve = await aliasResolver(
      db,
      scope,
      documents.flatMap((d) => d.chunks.flatMap((c) => c.extraction.entities.map((e) => entityKey(e.name)))),
    );
    const entities: Array<Record<string, string>> = [];
    const relations: Array<Record<string, string | number>> = [];
    for (const { documentId, chunks } of documents) {
      for (const { chunkId, extraction } of chunks) {
        for (const e of extraction.entities)
          entities.push({
            document_id: documentId,
            chunk_id: chunkId,
            key: resolve(entityKey(e.name)),
            name: e.name,
            type: e.type,
            description: e.description,
          });
        for (const r of extraction.relations) {
          const [a, b] = [resolve(entityKey(r.source)), resolve(entityKey(r.target))];
          if (a === b) continue;
          const [source, target] = relationPair(a, b);
          relations.push({
            document_id: documentId,
            chunk_id: chunkId,
            source_key: source,
            target_key: target,
            keywords: r.keywords,
            description: r.description,
            weight: r.weight,
          });
        }
      }
    }
    if (entities.length > 0) {
      await db.query(
        `INSERT INTO graph_entity_mentions (tenant_id, kb_id, document_id, chunk_id, entity_key, name, type, description)
         SELECT $1, $2, m.document_id::uuid, m.chunk_id::uuid, m.key, m.name, m.type, m.description
         FROM jsonb_to_recordset($3::jsonb)
           AS m(document_id text, chunk_id text, key text, name text, type text, description text)
         ON CONFLICT DO NOTHING`,
        [scope.tenantId, scope.kbId, JSON.stringify(entities)],
      );
    }
    if (relations.length > 0) {
      await db.query(
        `INSERT INTO graph_relation_mentions
           (tenant_id, kb_id, document_id, chunk_id, source_key, target_key, keywords, description, weight)
         SELECT $1, $2, m.document_id::uuid, m.chunk_id::uuid, m.source_key, m.target_key, m.keywords,
                m.description, m.weight
         FROM jsonb_to_recordset($3::jsonb)
           AS m(document_id text, chunk_id text, source_key text, target_key text, keywords text,
                description text, weight double precision)
         ON CONFLICT DO NOTHING`,
        [scope.tenantId, scope.kbId, JSON.stringify(relations)],
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
  removeDocument(db: Db, scope: KbScope, documentId: string): Promise<MentionChange> {
    return this.removeDocuments(db, scope, [documentId]);
  },

  /** Removes the documents' mentions; answers what they touched. */
  async removeDocuments(db: Db, scope: KbScope, documentIds: readonly string[]): Promise<MentionChange> {
    // TypeORM answers DELETE … RETURNING with [rows, count]: updateReturning gives the rows.
    const entities = await updateReturning<{ entity_key: string }>(
      db,
      `DELETE FROM graph_entity_mentions WHERE tenant_id = $1 AND kb_id = $2 AND document_id = ANY($3::uuid[])
       RETURNING entity_key`,
      [scope.tenantId, scope.kbId, [...documentIds]],
    );
    const relations = await updateReturning<{ source_key: string; target_key: string }>(
      db,
      `DELETE FROM graph_relation_mentions WHERE tenant_id = $1 AND kb_id = $2 AND document_id = ANY($3::uuid[])
       RETURNING source_key, target_key`,
      [scope.tenantId, scope.kbId, [...documentIds]],
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

  /**
   * The merged form of the given entities, editors' changes applied; keys without mentions are
   * absent. Descriptions come in the order their documents were added (document ids are time
   * ordered), so a later document appends and the cut at MAX_DESCRIPTION_CHARS stays put: an entity
   * whose merged text no longer changes is not embedded again.
   */
  async mergedEntities(db: Db, scope: KbScope, keys: readonly string[]): Promise<MergedEntity[]> {
    if (keys.length === 0) return [];
    if (keys.length > READ_SLICE) {
      return inSlices([...new Set(keys)], (slice) => GraphMentions.mergedEntities(db, scope, slice));
    }
    const params = [scope.tenantId, scope.kbId, [...keys]];
    // Two flat aggregates joined here: a correlated ARRAY() subquery per key ran ~20x slower.
    const rows: Array<{
      key: string;
      name: string;
      type: string;
      edited_description: string | null;
      sources: string[];
    }> = await db.query(
      `WITH merged AS (
         SELECT entity_key AS key,
                (array_agg(name ORDER BY document_id, chunk_id))[1] AS name,
                mode() WITHIN GROUP (ORDER BY type) AS type,
                array_agg(DISTINCT chunk_id::text) AS sources
         FROM graph_entity_mentions
         WHERE tenant_id = $1 AND kb_id = $2 AND entity_key = ANY($3::text[])
         GROUP BY entity_key
       )
       SELECT m.key, coalesce(x.name, m.name) AS name, coalesce(x.type, m.type) AS type,
              x.description AS edited_description, m.sources
       FROM merged m
       LEFT JOIN graph_entity_edits x ON x.tenant_id = $1 AND x.kb_id = $2 AND x.entity_key = m.key`,
      params,
    );
    const described: Array<{ key: string; description: string }> = await db.query(
      `SELECT entity_key AS key, description
       FROM graph_entity_mentions
       WHERE tenant_id = $1 AND kb_id = $2 AND entity_key = ANY($3::text[]) AND description <> ''
       GROUP BY entity_key, description
       ORDER BY entity_key, min(document_id::text), description`,
      params,
    );
    const descriptions = groupInOrder(described, (d) => d.key);
    return rows.map((r) => ({
      key: r.key,
      name: r.name,
      type: r.type,
      descriptions: (descriptions.get(r.key) ?? []).map((d) => d.description),
      editedDescription: r.edited_description,
      sourceChunkIds: r.sources,
    }));
  },

  /** The merged form of the given relations, editors' changes applied; pairs without mentions are absent. */
  async mergedRelations(
    db: Db,
    scope: KbScope,
    pairs: ReadonlyArray<readonly [string, string]>,
  ): Promise<MergedRelation[]> {
    if (pairs.length === 0) return [];
    if (pairs.length > READ_SLICE) {
      const unique = [...new Map(pairs.map((p) => [`${p[0]}\u0000${p[1]}`, p])).values()];
      return inSlices(unique, (slice) => GraphMentions.mergedRelations(db, scope, slice));
    }
    const params = [scope.tenantId, scope.kbId, pairs.map((p) => p[0]), pairs.map((p) => p[1])];
    const mentions = `
      SELECT m.* FROM graph_relation_mentions m
      JOIN unnest($3::text[], $4::text[]) AS p(source_key, target_key)
        ON p.source_key = m.source_key AND p.target_key = m.target_key
      WHERE m.tenant_id = $1 AND m.kb_id = $2`;
    const rows: Array<{
      source_key: string;
      target_key: string;
      keywords: string[];
      weight: number;
      sources: string[];
      edited_keywords: string | null;
      edited_description: string | null;
      edited_weight: number | null;
    }> = await db.query(
      `WITH mentions AS (${mentions}),
       merged AS (
         SELECT m.source_key, m.target_key,
                array_remove(array_agg(DISTINCT m.keywords), '') AS keywords,
                sum(m.weight) AS weight,
                array_agg(DISTINCT m.chunk_id::text) AS sources
         FROM mentions m
         GROUP BY m.source_key, m.target_key
       )
       SELECT m.*, x.keywords AS edited_keywords, x.description AS edited_description,
              x.weight AS edited_weight
       FROM merged m
       LEFT JOIN graph_relation_edits x ON x.tenant_id = $1 AND x.kb_id = $2
         AND x.source_key = m.source_key AND x.target_key = m.target_key`,
      params,
    );
    const described: Array<{ source_key: string; target_key: string; description: string }> = await db.query(
      `WITH mentions AS (${mentions})
       SELECT source_key, target_key, description FROM mentions WHERE description <> ''
       GROUP BY source_key, target_key, description
       ORDER BY source_key, target_key, min(document_id::text), description`,
      params,
    );
    const descriptions = groupInOrder(described, (d) => `${d.source_key}\u0000${d.target_key}`);
    return rows.map((r) => ({
      sourceKey: r.source_key,
      targetKey: r.target_key,
      keywords: r.edited_keywords !== null ? [r.edited_keywords] : r.keywords,
      descriptions: (descriptions.get(`${r.source_key}\u0000${r.target_key}`) ?? []).map(
        (d) => d.description,
      ),
      editedDescription: r.edited_description,
      weight: r.edited_weight !== null ? Number(r.edited_weight) : Number(r.weight),
      sourceChunkIds: r.sources,
    }));
  },
};

/** Rows grouped by `keyOf`, each group in the rows' order. */
function groupInOrder<T>(rows: readonly T[], keyOf: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return groups;
}

function uniquePairs(pairs: Array<[string, string]>): Array<[string, string]> {
  const seen = new Map<string, [string, string]>();
  for (const pair of pairs) seen.set(`${pair[0]}\u0000${pair[1]}`, pair);
  return [...seen.values()];
}

/** Maps entity keys through the KB's merge aliases (a key merged away answers its target). */
async function aliasResolver(
  db: Db,
  scope: KbScope,
  keys: readonly string[],
): Promise<(key: string) => string> {
  if (keys.length === 0) return (key) => key;
  const rows: Array<{ alias_key: string; entity_key: string }> = await db.query(
    `SELECT alias_key, entity_key FROM graph_entity_aliases
     WHERE tenant_id = $1 AND kb_id = $2 AND alias_key = ANY($3::text[])`,
    [scope.tenantId, scope.kbId, [...new Set(keys)]],
  );
  const aliases = new Map(rows.map((r) => [r.alias_key, r.entity_key]));
  return (key) => aliases.get(key) ?? key;
}
