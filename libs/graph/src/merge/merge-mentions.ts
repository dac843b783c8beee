import { compareInByteOrder, mapInTurns } from '@strata/core';
import type { MergedEntity, MergedRelation } from './graph-mentions.repository';

/** What one chunk of a document said about an entity: a row of `graph_entity_mentions`. */
export interface EntityMention {
  documentId: string;
  chunkId: string;
  key: string;
  name: string;
  type: string;
  description: string;
}

/** What one chunk of a document said about a relation: a row of `graph_relation_mentions`. */
export interface RelationMention {
  documentId: string;
  chunkId: string;
  sourceKey: string;
  targetKey: string;
  keywords: string;
  description: string;
  weight: number;
}

/** One string per relation pair, for sets and maps (keys hold no NUL). */
export const pairKey = (sourceKey: string, targetKey: string) => `${sourceKey}\u0000${targetKey}`;

/**
 * How many of an entity's or relation's mentions its merged form is made from: the earliest, by
 * document (ids are time-ordered: the order documents were added), then chunk. A name mentioned
 * in thousands of chunks would otherwise be read back whole, rewritten with thousands of sources
 * and summarised from thousands of descriptions each time a batch mentions it again; bounded, its
 * cost per batch stays flat and, once past them, its merged form stops changing. A hundred
 * descriptions are far more than the merged description (MAX_DESCRIPTION_CHARS) keeps, and a
 * hundred source chunks far more than a query's context takes from one entity.
 */
export const MAX_MERGED_MENTIONS = 100;

/**
 * Merges entities from their mentions, with the result GraphMentions.mergedEntities gives when
 * these are all of their mentions and no editor changed them. Of each key's mentions, the
 * MAX_MERGED_MENTIONS earliest (by document, then chunk) count: the name of the first, the most
 * frequent type (ties: the first in byte order), the distinct descriptions in the order they
 * first appear, their chunks as sources. Rows repeating a key and chunk count once, the first, as
 * the table's primary key keeps them.
 */
export function mergeEntityMentions(mentions: readonly EntityMention[]): Promise<MergedEntity[]> {
  const byKey = groupBy(
    firstPer(mentions, (m) => `${m.key}\u0000${m.chunkId.toLowerCase()}`),
    (m) => m.key,
  );
  // In turns: a batch's thousands of mentions are merged on the thread that serves HTTP.
  return mapInTurns([...byKey], ([key, all]) => {
    const group = earliest(all);
    return {
      key,
      name: group[0].name,
      type: mostFrequent(group.map((m) => m.type)),
      descriptions: distinctDescriptions(group),
      editedDescription: null,
      sourceChunkIds: group.map((m) => m.chunkId.toLowerCase()),
    };
  });
}

/**
 * Merges relations from their mentions, with the result GraphMentions.mergedRelations gives when
 * these are all of their mentions and no editor changed them. Of each pair's MAX_MERGED_MENTIONS
 * earliest mentions (by document, then chunk): the distinct non-empty keyword lists in byte
 * order, the summed weight, descriptions and source chunks as for entities.
 */
export function mergeRelationMentions(mentions: readonly RelationMention[]): Promise<MergedRelation[]> {
  const byPair = groupBy(
    firstPer(mentions, (m) => `${pairKey(m.sourceKey, m.targetKey)}\u0000${m.chunkId.toLowerCase()}`),
    (m) => pairKey(m.sourceKey, m.targetKey),
  );
  return mapInTurns([...byPair.values()], (all) => {
    const group = earliest(all);
    return {
      sourceKey: group[0].sourceKey,
      targetKey: group[0].targetKey,
      keywords: [...new Set(group.map((m) => m.keywords))].filter((k) => k !== '').sort(compareInByteOrder),
      descriptions: distinctDescriptions(group),
      editedDescription: null,
      weight: group.reduce((sum, m) => sum + m.weight, 0),
      sourceChunkIds: group.map((m) => m.chunkId.toLowerCase()),
    };
  });
}

/** Ids are uuids, which PostgreSQL orders as their lowercase text. */
const compareIds = (a: string, b: string) => compareInByteOrder(a.toLowerCase(), b.toLowerCase());

/** The MAX_MERGED_MENTIONS mentions of one key or pair (one per chunk) that came first, in order. */
function earliest<T extends { documentId: string; chunkId: string }>(group: readonly T[]): T[] {
  return [...group]
    .sort((a, b) => compareIds(a.documentId, b.documentId) || compareIds(a.chunkId, b.chunkId))
    .slice(0, MAX_MERGED_MENTIONS);
}

/** Non-empty distinct descriptions of mentions in their order, each where it first appears. */
const distinctDescriptions = (group: ReadonlyArray<{ description: string }>): string[] => [
  ...new Set(group.map((m) => m.description).filter((d) => d !== '')),
];

/** The most frequent value; of equally frequent ones the first in byte order (PostgreSQL's `mode()`). */
function mostFrequent(values: string[]): string {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  let best: [string, number] | null = null;
  for (const entry of counts) {
    if (
      best === null ||
      entry[1] > best[1] ||
      (entry[1] === best[1] && compareInByteOrder(entry[0], best[0]) < 0)
    )
      best = entry;
  }
  return best![0];
}

function firstPer<T>(rows: readonly T[], keyOf: (row: T) => string): T[] {
  const first = new Map<string, T>();
  for (const row of rows) if (!first.has(keyOf(row))) first.set(keyOf(row), row);
  return [...first.values()];
}

/** Rows grouped by `keyOf`, each group in the rows' order. */
export function groupBy<T>(rows: readonly T[], keyOf: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return groups;
}
