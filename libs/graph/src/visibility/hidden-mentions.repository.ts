import type { SqlRunner } from '@strata/storage';
import { hiddenDocumentsOf, type KbScope } from '@strata/tenancy';
import { MAX_MERGED_MENTIONS } from '../merge/merge-mentions';

/** What the documents a caller may see say of an entity or relation that hidden documents also mention. */
export interface VisibleMentions {
  chunkIds: string[];
  descriptions: string[];
  /** A relation's keyword lists, as its mentions give them. */
  keywords: string[];
  /** A relation's summed weight. */
  weight: number;
}

const rowsOf = async <T>(db: SqlRunner, sql: string, params: unknown[]) =>
  (await db.query(sql, params)) as T[];

/**
 * Reads of the graph's mentions for callers that documents are hidden from (the scope's
 * `hiddenDocumentIds`): which of some entities and relations hidden documents mention, and what
 * the other documents say of those. Read through the mention tables' primary keys.
 */
export const HiddenMentions = {
  /** Of `keys`, the entities a hidden document mentions. */
  async entitiesTouched(db: SqlRunner, scope: KbScope, keys: readonly string[]): Promise<Set<string>> {
    const hidden = hiddenDocumentsOf(scope);
    if (keys.length === 0 || hidden.length === 0) return new Set();
    const rows = await rowsOf<{ key: string }>(
      db,
      `SELECT DISTINCT entity_key AS key FROM graph_entity_mentions
       WHERE tenant_id = $1 AND kb_id = $2 AND entity_key = ANY($3::text[]) AND document_id = ANY($4::uuid[])`,
      [scope.tenantId, scope.kbId, [...new Set(keys)], [...hidden]],
    );
    return new Set(rows.map((r) => r.key));
  },

  /** Each key's earliest mentions in documents the scope does not hide (a key with none is absent). */
  async visibleEntityMentions(
    db: SqlRunner,
    scope: KbScope,
    keys: readonly string[],
  ): Promise<Map<string, VisibleMentions>> {
    if (keys.length === 0) return new Map();
    const rows = await rowsOf<MentionRow & { key: string }>(
      db,
      `SELECT k.key, m.chunk_id::text, m.description
       FROM unnest($3::text[]) AS k(key)
       CROSS JOIN LATERAL (
         SELECT chunk_id, description FROM graph_entity_mentions m
         WHERE m.tenant_id = $1 AND m.kb_id = $2 AND m.entity_key = k.key AND NOT m.document_id = ANY($4::uuid[])
         ORDER BY m.document_id, m.chunk_id LIMIT ${MAX_MERGED_MENTIONS}
       ) m`,
      [scope.tenantId, scope.kbId, [...new Set(keys)], [...hiddenDocumentsOf(scope)]],
    );
    return collect(rows, (row) => row.key);
  },

  /** Of `pairs`, the relations a hidden document mentions, as `source\0target`. */
  async relationsTouched(
    db: SqlRunner,
    scope: KbScope,
    pairs: ReadonlyArray<readonly [string, string]>,
  ): Promise<Set<string>> {
    const hidden = hiddenDocumentsOf(scope);
    if (pairs.length === 0 || hidden.length === 0) return new Set();
    const rows = await rowsOf<{ source_key: string; target_key: string }>(
      db,
      `SELECT DISTINCT m.source_key, m.target_key
       FROM unnest($3::text[], $4::text[]) AS p(source_key, target_key)
       JOIN graph_relation_mentions m
         ON m.tenant_id = $1 AND m.kb_id = $2 AND m.source_key = p.source_key AND m.target_key = p.target_key
       WHERE m.document_id = ANY($5::uuid[])`,
      [scope.tenantId, scope.kbId, pairs.map((p) => p[0]), pairs.map((p) => p[1]), [...hidden]],
    );
    return new Set(rows.map((r) => pairId(r.source_key, r.target_key)));
  },

  /** Each pair's earliest mentions in documents the scope does not hide, by `source\0target`. */
  async visibleRelationMentions(
    db: SqlRunner,
    scope: KbScope,
    pairs: ReadonlyArray<readonly [string, string]>,
  ): Promise<Map<string, VisibleMentions>> {
    if (pairs.length === 0) return new Map();
    const rows = await rowsOf<MentionRow & { source_key: string; target_key: string }>(
      db,
      `SELECT p.source_key, p.target_key, m.chunk_id::text, m.description, m.keywords, m.weight
       FROM unnest($3::text[], $4::text[]) AS p(source_key, target_key)
       CROSS JOIN LATERAL (
         SELECT chunk_id, description, keywords, weight FROM graph_relation_mentions m
         WHERE m.tenant_id = $1 AND m.kb_id = $2 AND m.source_key = p.source_key AND m.target_key = p.target_key
           AND NOT m.document_id = ANY($5::uuid[])
         ORDER BY m.document_id, m.chunk_id LIMIT ${MAX_MERGED_MENTIONS}
       ) m`,
      [
        scope.tenantId,
        scope.kbId,
        pairs.map((p) => p[0]),
        pairs.map((p) => p[1]),
        [...hiddenDocumentsOf(scope)],
      ],
    );
    return collect(rows, (row) => pairId(row.source_key, row.target_key));
  },
};

/** A relation's ends as one key. */
export const pairId = (source: string, target: string) => `${source}\u0000${target}`;

interface MentionRow {
  chunk_id: string;
  description: string;
  keywords?: string;
  weight?: number | string;
}

function collect<T extends MentionRow>(
  rows: readonly T[],
  keyOf: (row: T) => string,
): Map<string, VisibleMentions> {
  const out = new Map<string, VisibleMentions>();
  for (const row of rows) {
    const entry = out.get(keyOf(row)) ?? { chunkIds: [], descriptions: [], keywords: [], weight: 0 };
    entry.chunkIds.push(row.chunk_id.toLowerCase());
    if (row.keywords) entry.keywords.push(row.keywords);
    entry.weight += Number(row.weight ?? 0);
    const description = row.description.trim();
    if (description !== '' && !entry.descriptions.includes(description)) entry.descriptions.push(description);
    out.set(keyOf(row), entry);
  }
  return out;
}
