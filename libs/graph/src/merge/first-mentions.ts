import { compareInByteOrder } from '@strata/core';
import type { MergedEntity, MergedRelation } from './graph-mentions';

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
 * Merges entities from the given mentions alone, with the result GraphMentions.mergedEntities
 * gives when these are all of their mentions and no editor changed them: the name of the first
 * mention (by document, then chunk), the most frequent type (ties: the first in byte order), the
 * distinct descriptions in the order of their first document, the distinct source chunks. Rows
 * repeating a key and chunk count once, the first, as the table's primary key keeps them.
 */
export function mergeEntityMentions(mentions: readonly EntityMention[]): MergedEntity[] {
  const byKey = groupBy(
    firstPer(mentions, (m) => `${m.key}\u0000${m.chunkId}`),
    (m) => m.key,
  );
  return [...byKey].map(([key, group]) => ({
    key,
    name: group.reduce((first, m) => (compareMention(m, first) < 0 ? m : first)).name,
    type: mostFrequent(group.map((m) => m.type)),
    descriptions: orderedDescriptions(group),
    editedDescription: null,
    sourceChunkIds: distinctIds(group.map((m) => m.chunkId)),
  }));
}

/**
 * Merges relations from the given mentions alone, with the result GraphMentions.mergedRelations
 * gives when these are all of their mentions and no editor changed them: the distinct non-empty
 * keyword lists in byte order, the summed weight, descriptions and source chunks as for entities.
 */
export function mergeRelationMentions(mentions: readonly RelationMention[]): MergedRelation[] {
  const byPair = groupBy(
    firstPer(mentions, (m) => `${pairKey(m.sourceKey, m.targetKey)}\u0000${m.chunkId}`),
    (m) => pairKey(m.sourceKey, m.targetKey),
  );
  return [...byPair.values()].map((group) => ({
    sourceKey: group[0].sourceKey,
    targetKey: group[0].targetKey,
    keywords: [...new Set(group.map((m) => m.keywords))].filter((k) => k !== '').sort(compareInByteOrder),
    descriptions: orderedDescriptions(group),
    editedDescription: null,
    weight: group.reduce((sum, m) => sum + m.weight, 0),
    sourceChunkIds: distinctIds(group.map((m) => m.chunkId)),
  }));
}

/** Ids are uuids, which PostgreSQL orders as their lowercase text. */
const compareIds = (a: string, b: string) => compareInByteOrder(a.toLowerCase(), b.toLowerCase());

const compareMention = (a: { documentId: string; chunkId: string }, b: typeof a) =>
  compareIds(a.documentId, b.documentId) || compareIds(a.chunkId, b.chunkId);

const distinctIds = (ids: string[]) => [...new Set(ids.map((id) => id.toLowerCase()))].sort(compareIds);

/** Non-empty distinct descriptions by their earliest document, then by themselves. */
function orderedDescriptions(group: ReadonlyArray<{ documentId: string; description: string }>): string[] {
  const firstDocument = new Map<string, string>();
  for (const { description, documentId } of group) {
    if (description === '') continue;
    const known = firstDocument.get(description);
    if (known === undefined || compareIds(documentId, known) < 0) firstDocument.set(description, documentId);
  }
  return [...firstDocument]
    .sort(([a, docA], [b, docB]) => compareIds(docA, docB) || compareInByteOrder(a, b))
    .map(([description]) => description);
}

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
