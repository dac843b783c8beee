import type { EntityManager } from 'typeorm';
import { slices, slicesOfBytes } from '@strata/core';
import { bumpKbGraphVersion, readKbGraphVersion } from '@strata/knowledge-bases';
import type { KbScope } from '@strata/tenancy';
import { relationPair, updateReturning } from '@strata/storage';
import { entityKey } from '../extraction/entity-name';
import type { ChunkExtraction } from '../extraction/extraction';
import {
  type EntityMention,
  groupBy,
  MAX_MERGED_MENTIONS,
  mergeEntityMentions,
  mergeRelationMentions,
  pairKey,
  type RelationMention,
} from './merge-mentions';

/** What changed in a KB's mentions: the keys and pairs whose merged form must be recomputed. */
export interface MentionChange {
  entityKeys: string[];
  relationPairs: Array<[string, string]>;
  /** The mentions the change added, where it added some. */
  added?: AddedMentions;
}

/**
 * Mentions a change added, leaving out keys and pairs its documents had mentioned before, with
 * the KB's graph version the change made: while the graph stays at that version, these are still
 * all their documents' mentions of them.
 */
export interface AddedMentions {
  version: string | null;
  documentIds: string[];
  entities: EntityMention[];
  relations: RelationMention[];
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

/** A row of `graph_relation_edits`, as read. */
export interface RelationEditRow {
  source_key: string;
  target_key: string;
  keywords: string | null;
  description: string | null;
  weight: number | null;
  created: boolean;
  deleted: boolean;
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

/** Runs `work` in a transaction of its own and answers what it answered. */
export type Transact = <T>(work: (db: EntityManager) => Promise<T>) => Promise<T>;

/**
 * Locks, in the transaction of a change, the documents it is about, and answers the ids of those
 * the caller still owns (its claim on them holds).
 */
export type DocumentOwnership = (manager: EntityManager, documentIds: string[]) => Promise<string[]>;

/**
 * Entity and relation mentions written per transaction when a document's mentions are replaced.
 * A bench document's (about 1,100) in one transaction held the embedded database's single
 * connection for 50-70 ms, and an API request arriving meanwhile waited that long.
 */
const MENTIONS_PER_TRANSACTION = 250;

/**
 * Keys or pairs read per statement when merging: a graph batch touches a thousand or more, and
 * one statement for all of them held the embedded database's single connection for 50-140 ms.
 */
const READ_SLICE = 250;

/**
 * Keys or pairs per "does another document mention it" check: that statement is planned as a hash
 * join over the KB's mentions, so each costs about one pass over them whatever its keys, and a
 * batch's keys (about a thousand) go in one.
 */
const KNOWN_SLICE = 2000;

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
  /**
   * Replaces each document's mentions with what its chunks yielded, for the documents `owned`
   * answers, in short transactions of their own: the old mentions go in the first, and the new
   * ones follow MENTIONS_PER_TRANSACTION at a time, each transaction checking ownership again. A
   * document lost meanwhile (deleted, re-ingested, re-claimed) gets no further mentions, and whoever
   * took it removes those it got. Answers null when no document was owned at the start; else the
   * documents still owned at the end and the change, which answers the new mentions too (`added`),
   * except those of keys and pairs the documents mentioned before (a merge may take what only they
   * mention from them), and no `added` at all when a document was lost on the way.
   */
  async replaceDocuments(
    transact: Transact,
    scope: KbScope,
    documents: readonly DocumentExtraction[],
    owned: DocumentOwnership,
  ): Promise<{ kept: DocumentExtraction[]; change: MentionChange } | null> {
    /** The documents whose ownership holds, locked in the transaction of `db`. */
    const stillOwned = async (db: EntityManager, of: readonly DocumentExtraction[]) => {
      const ours = new Set(
        await owned(
          db,
          of.map((d) => d.documentId),
        ),
      );
      return of.filter((d) => ours.has(d.documentId));
    };
    const start = await transact(async (db) => {
      const kept = await stillOwned(db, documents);
      if (kept.length === 0) return null;
      const removed = await this.removeDocuments(
        db,
        scope,
        kept.map((d) => d.documentId),
      );
      return { kept, removed };
    });
    if (start === null) return null;
    const { removed } = start;
    let kept = start.kept;
    let version = removed.version;
    const entities: EntityMention[] = [];
    const relations: RelationMention[] = [];
    for (const part of mentionParts(kept, MENTIONS_PER_TRANSACTION)) {
      const written = await transact(async (db) => {
        const mine = await stillOwned(db, part);
        return { mine, added: mine.length > 0 ? await this.addMentions(db, scope, mine) : null };
      });
      const lost = new Set(part.filter((d) => !written.mine.includes(d)).map((d) => d.documentId));
      kept = kept.filter((d) => !lost.has(d.documentId));
      if (written.added === null) continue;
      entities.push(...written.added.entities);
      relations.push(...written.added.relations);
      version = written.added.version;
    }
    const lostAny = kept.length < start.kept.length;
    const removedKeys = new Set(removed.entityKeys);
    const removedPairs = new Set(removed.relationPairs.map(([a, b]) => pairKey(a, b)));
    return {
      kept,
      change: {
        entityKeys: [...new Set([...removed.entityKeys, ...entities.map((e) => e.key)])],
        relationPairs: uniquePairs([
          ...removed.relationPairs,
          ...relations.map((r) => [r.sourceKey, r.targetKey] as [string, string]),
        ]),
        added: lostAny
          ? undefined
          : {
              version,
              documentIds: kept.map((d) => d.documentId),
              entities: entities.filter((e) => !removedKeys.has(e.key)),
              relations: relations.filter((r) => !removedPairs.has(pairKey(r.sourceKey, r.targetKey))),
            },
      },
    };
  },

  /**
   * Adds the mentions the given chunks yielded, one statement per table, names an editor merged
   * into another entity going to that entity, and bumps the KB's graph version. Answers the rows
   * written and the version.
   */
  async addMentions(
    db: Db,
    scope: KbScope,
    documents: readonly DocumentExtraction[],
  ): Promise<{ entities: EntityMention[]; relations: RelationMention[]; version: string | null }> {
    const resolve = await aliasResolver(
      db,
      scope,
      documents.flatMap((d) => d.chunks.flatMap((c) => c.extraction.entities.map((e) => entityKey(e.name)))),
    );
    const entities: EntityMention[] = [];
    const relations: RelationMention[] = [];
    for (const { documentId, chunks } of documents) {
      for (const { chunkId, extraction } of chunks) {
        for (const e of extraction.entities)
          entities.push({
            documentId,
            chunkId,
            key: resolve(entityKey(e.name)),
            name: e.name,
            type: e.type,
            description: e.description,
          });
        for (const r of extraction.relations) {
          const [a, b] = [resolve(entityKey(r.source)), resolve(entityKey(r.target))];
          if (a === b) continue;
          const [sourceKey, targetKey] = relationPair(a, b);
          relations.push({
            documentId,
            chunkId,
            sourceKey,
            targetKey,
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
         SELECT $1, $2, m."documentId"::uuid, m."chunkId"::uuid, m.key, m.name, m.type, m.description
         FROM jsonb_to_recordset($3::jsonb)
           AS m("documentId" text, "chunkId" text, key text, name text, type text, description text)
         ON CONFLICT DO NOTHING`,
        [scope.tenantId, scope.kbId, JSON.stringify(entities)],
      );
    }
    if (relations.length > 0) {
      await db.query(
        `INSERT INTO graph_relation_mentions
           (tenant_id, kb_id, document_id, chunk_id, source_key, target_key, keywords, description, weight)
         SELECT $1, $2, m."documentId"::uuid, m."chunkId"::uuid, m."sourceKey", m."targetKey", m.keywords,
                m.description, m.weight
         FROM jsonb_to_recordset($3::jsonb)
           AS m("documentId" text, "chunkId" text, "sourceKey" text, "targetKey" text, keywords text,
                description text, weight double precision)
         ON CONFLICT DO NOTHING`,
        [scope.tenantId, scope.kbId, JSON.stringify(relations)],
      );
    }
    return { entities, relations, version: await bumpKbGraphVersion(db, scope) };
  },

  /**
   * The merged form of what a change alone mentions: its added entities and relations that no
   * other document mentions and no editor changed, merged from the added mentions with no read of
   * them. Valid while the KB's graph is at the change's version (the caller checks after writing).
   */
  async firstMentions(
    db: Db,
    scope: KbScope,
    added: AddedMentions,
  ): Promise<{ entities: MergedEntity[]; relations: MergedRelation[] }> {
    const entityKeys = [...new Set(added.entities.map((e) => e.key))];
    const pairs = uniquePairs(added.relations.map((r) => [r.sourceKey, r.targetKey]));
    const knownKeys = new Set<string>();
    for (const slice of slices(entityKeys, KNOWN_SLICE)) {
      const rows: Array<{ key: string }> = await db.query(
        `SELECT k.key FROM unnest($3::text[]) AS k(key)
         WHERE EXISTS (SELECT 1 FROM graph_entity_mentions m
                       WHERE m.tenant_id = $1 AND m.kb_id = $2 AND m.entity_key = k.key
                         AND m.document_id <> ALL($4::uuid[]))
            OR EXISTS (SELECT 1 FROM graph_entity_edits x
                       WHERE x.tenant_id = $1 AND x.kb_id = $2 AND x.entity_key = k.key)`,
        [scope.tenantId, scope.kbId, slice, added.documentIds],
      );
      rows.forEach((r) => knownKeys.add(r.key));
    }
    const knownPairs = new Set<string>();
    for (const slice of slices(pairs, KNOWN_SLICE)) {
      const rows: Array<{ source_key: string; target_key: string }> = await db.query(
        `SELECT p.source_key, p.target_key FROM unnest($3::text[], $4::text[]) AS p(source_key, target_key)
         WHERE EXISTS (SELECT 1 FROM graph_relation_mentions m
                       WHERE m.tenant_id = $1 AND m.kb_id = $2
                         AND m.source_key = p.source_key AND m.target_key = p.target_key
                         AND m.document_id <> ALL($5::uuid[]))
            OR EXISTS (SELECT 1 FROM graph_relation_edits x
                       WHERE x.tenant_id = $1 AND x.kb_id = $2
                         AND x.source_key = p.source_key AND x.target_key = p.target_key)
            OR EXISTS (SELECT 1 FROM graph_entity_edits x
                       WHERE x.tenant_id = $1 AND x.kb_id = $2 AND x.deleted
                         AND x.entity_key IN (p.source_key, p.target_key))`,
        [scope.tenantId, scope.kbId, slice.map((p) => p[0]), slice.map((p) => p[1]), added.documentIds],
      );
      rows.forEach((r) => knownPairs.add(pairKey(r.source_key, r.target_key)));
    }
    return {
      entities: await mergeEntityMentions(added.entities.filter((e) => !knownKeys.has(e.key))),
      relations: await mergeRelationMentions(
        added.relations.filter((r) => !knownPairs.has(pairKey(r.sourceKey, r.targetKey))),
      ),
    };
  },

  /** Removes the documents' mentions; answers what they touched and the KB's graph version after. */
  async removeDocuments(
    db: Db,
    scope: KbScope,
    documentIds: readonly string[],
  ): Promise<MentionChange & { version: string | null }> {
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
    return {
      entityKeys: [...new Set(entities.map((e) => e.entity_key))],
      relationPairs: uniquePairs(relations.map((r) => [r.source_key, r.target_key])),
      version: await bumpKbGraphVersion(db, scope),
    };
  },

  /** How many entity and relation mentions these documents still have (deletion receipts, checks). */
  async countOfDocuments(db: Db, scope: KbScope, documentIds: readonly string[]): Promise<number> {
    const params = [scope.tenantId, scope.kbId, [...documentIds]];
    const [row] = (await db.query(
      `SELECT (SELECT count(*) FROM graph_entity_mentions
               WHERE tenant_id = $1 AND kb_id = $2 AND document_id = ANY ($3::uuid[]))
            + (SELECT count(*) FROM graph_relation_mentions
               WHERE tenant_id = $1 AND kb_id = $2 AND document_id = ANY ($3::uuid[])) AS n`,
      params,
    )) as Array<{ n: string }>;
    return Number(row!.n);
  },

  version(db: Db, scope: KbScope): Promise<string | null> {
    return readKbGraphVersion(db, scope);
  },

  /**
   * The merged form of the given entities (see mergeEntityMentions), editors' changes applied;
   * keys an editor deleted, and keys neither mentioned nor created by an editor, are absent. Each key's MAX_MERGED_MENTIONS earliest mentions are read
   * through the primary key (its order is theirs), however many the KB holds.
   */
  async mergedEntities(db: Db, scope: KbScope, keys: readonly string[]): Promise<MergedEntity[]> {
    if (keys.length === 0) return [];
    if (keys.length > READ_SLICE) {
      return inSlices([...new Set(keys)], (slice) => GraphMentions.mergedEntities(db, scope, slice));
    }
    const params = [scope.tenantId, scope.kbId, [...new Set(keys)]];
    const rows: EntityMention[] = await db.query(
      `SELECT k.key, m.document_id::text AS "documentId", m.chunk_id::text AS "chunkId", m.name, m.type,
              m.description
       FROM unnest($3::text[]) AS k(key)
       CROSS JOIN LATERAL (
         SELECT document_id, chunk_id, name, type, description FROM graph_entity_mentions m
         WHERE m.tenant_id = $1 AND m.kb_id = $2 AND m.entity_key = k.key
         ORDER BY m.document_id, m.chunk_id LIMIT ${MAX_MERGED_MENTIONS}
       ) m`,
      params,
    );
    const edits: Array<{
      key: string;
      name: string | null;
      type: string | null;
      description: string | null;
      created: boolean;
      deleted: boolean;
    }> = await db.query(
      `SELECT entity_key AS key, name, type, description, created, deleted FROM graph_entity_edits
         WHERE tenant_id = $1 AND kb_id = $2 AND entity_key = ANY($3::text[])`,
      params,
    );
    const editOf = new Map(edits.map((e) => [e.key, e]));
    const merged = (await mergeEntityMentions(rows)).flatMap((merged) => {
      const edit = editOf.get(merged.key);
      if (edit === undefined) return [merged];
      if (edit.deleted) return [];
      return [
        {
          ...merged,
          name: edit.name ?? merged.name,
          type: edit.type ?? merged.type,
          editedDescription: edit.description,
        },
      ];
    });
    const mentioned = new Set(merged.map((e) => e.key));
    // An entity an editor created that no document mentions is its edit alone.
    const createdOnly = edits
      .filter((e) => e.created && !e.deleted && !mentioned.has(e.key))
      .map((e) => ({
        key: e.key,
        name: e.name ?? e.key,
        type: e.type ?? 'unknown',
        descriptions: [],
        editedDescription: e.description ?? '',
        sourceChunkIds: [],
      }));
    return merged.concat(createdOnly);
  },

  /**
   * The merged form of the given relations (see mergeRelationMentions), editors' changes applied;
   * pairs an editor deleted or with a deleted end, and pairs neither mentioned nor created by an
   * editor between two entities of the graph, are absent. Each pair's MAX_MERGED_MENTIONS earliest mentions are read.
   */
  async mergedRelations(
    db: Db,
    scope: KbScope,
    pairs: ReadonlyArray<readonly [string, string]>,
  ): Promise<MergedRelation[]> {
    if (pairs.length === 0) return [];
    if (pairs.length > READ_SLICE) {
      return inSlices(uniquePairs(pairs), (slice) => GraphMentions.mergedRelations(db, scope, slice));
    }
    const unique = uniquePairs(pairs);
    const params = [scope.tenantId, scope.kbId, unique.map((p) => p[0]), unique.map((p) => p[1])];
    const rows: RelationMention[] = await db.query(
      `SELECT p.source_key AS "sourceKey", p.target_key AS "targetKey", m.document_id::text AS "documentId",
              m.chunk_id::text AS "chunkId", m.keywords, m.description, m.weight
       FROM unnest($3::text[], $4::text[]) AS p(source_key, target_key)
       CROSS JOIN LATERAL (
         SELECT document_id, chunk_id, keywords, description, weight FROM graph_relation_mentions m
         WHERE m.tenant_id = $1 AND m.kb_id = $2 AND m.source_key = p.source_key AND m.target_key = p.target_key
         ORDER BY m.document_id, m.chunk_id LIMIT ${MAX_MERGED_MENTIONS}
       ) m`,
      params,
    );
    const edits: RelationEditRow[] = await db.query(
      `SELECT x.source_key, x.target_key, x.keywords, x.description, x.weight, x.created, x.deleted
       FROM graph_relation_edits x
       JOIN unnest($3::text[], $4::text[]) AS p(source_key, target_key)
         ON p.source_key = x.source_key AND p.target_key = x.target_key
       WHERE x.tenant_id = $1 AND x.kb_id = $2`,
      params,
    );
    const editOf = new Map(edits.map((e) => [pairKey(e.source_key, e.target_key), e]));
    const deleted = await deletedEntities(db, scope, [...new Set(unique.flat())]);
    const merged = (await mergeRelationMentions(rows)).flatMap((merged) => {
      if (deleted.has(merged.sourceKey) || deleted.has(merged.targetKey)) return [];
      const edit = editOf.get(pairKey(merged.sourceKey, merged.targetKey));
      if (edit === undefined) return [merged];
      if (edit.deleted) return [];
      return [
        {
          ...merged,
          keywords: edit.keywords !== null ? [edit.keywords] : merged.keywords,
          editedDescription: edit.description,
          weight: edit.weight !== null ? Number(edit.weight) : merged.weight,
        },
      ];
    });
    const mentioned = new Set(merged.map((r) => pairKey(r.sourceKey, r.targetKey)));
    // A relation an editor created that no document mentions is its edit alone, while both its
    // ends are in the graph.
    const candidates = edits.filter(
      (e) =>
        e.created &&
        !e.deleted &&
        !deleted.has(e.source_key) &&
        !deleted.has(e.target_key) &&
        !mentioned.has(pairKey(e.source_key, e.target_key)),
    );
    const present = await presentEntities(db, scope, [
      ...new Set(candidates.flatMap((e) => [e.source_key, e.target_key])),
    ]);
    const createdOnly = candidates
      .filter((e) => present.has(e.source_key) && present.has(e.target_key))
      .map((e) => ({
        sourceKey: e.source_key,
        targetKey: e.target_key,
        keywords: e.keywords ? [e.keywords] : [],
        descriptions: [],
        editedDescription: e.description ?? '',
        weight: e.weight !== null ? Number(e.weight) : 1,
        sourceChunkIds: [],
      }));
    return merged.concat(createdOnly);
  },
};

/** Of the given entity keys, those an editor deleted. */
async function deletedEntities(db: Db, scope: KbScope, keys: readonly string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows: Array<{ key: string }> = await db.query(
    `SELECT entity_key AS key FROM graph_entity_edits
     WHERE tenant_id = $1 AND kb_id = $2 AND entity_key = ANY($3::text[]) AND deleted`,
    [scope.tenantId, scope.kbId, keys],
  );
  return new Set(rows.map((r) => r.key));
}

/**
 * Of the given entity keys (not deleted), those in the merged graph: mentioned, or created by an
 * editor. Asked only of the ends of relations an editor created, each key through its own index
 * probe.
 */
async function presentEntities(db: Db, scope: KbScope, keys: readonly string[]): Promise<Set<string>> {
  const present = new Set<string>();
  for (const key of keys) {
    const [row] = (await db.query(
      `SELECT 1 FROM graph_entity_edits WHERE tenant_id = $1 AND kb_id = $2 AND entity_key = $3 AND created
       UNION ALL
       (SELECT 1 FROM graph_entity_mentions WHERE tenant_id = $1 AND kb_id = $2 AND entity_key = $3 LIMIT 1)
       LIMIT 1`,
      [scope.tenantId, scope.kbId, key],
    )) as unknown[];
    if (row) present.add(key);
  }
  return present;
}

const mentionsIn = (chunk: DocumentExtraction['chunks'][number]) =>
  chunk.extraction.entities.length + chunk.extraction.relations.length;

/**
 * The documents' chunks that mention something, in consecutive parts of about `mentions` entity
 * and relation mentions (a chunk is never split), each part grouped back by document, in order.
 */
export function mentionParts(
  documents: readonly DocumentExtraction[],
  mentions: number,
): DocumentExtraction[][] {
  const chunks = documents.flatMap((d) =>
    d.chunks.filter((c) => mentionsIn(c) > 0).map((chunk) => ({ documentId: d.documentId, chunk })),
  );
  return [...slicesOfBytes(chunks, ({ chunk }) => mentionsIn(chunk), mentions)].map((part) =>
    [...groupBy(part, (c) => c.documentId)].map(([documentId, group]) => ({
      documentId,
      chunks: group.map((c) => c.chunk),
    })),
  );
}

function uniquePairs<P extends readonly [string, string]>(pairs: readonly P[]): P[] {
  const seen = new Map<string, P>();
  for (const pair of pairs) seen.set(pairKey(pair[0], pair[1]), pair);
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
