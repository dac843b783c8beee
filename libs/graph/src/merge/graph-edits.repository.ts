import type { EntityManager } from 'typeorm';
import { relationPair, updateReturning } from '@strata/storage';
import { bumpKbGraphVersion } from '@strata/knowledge-bases';
import type { KbScope } from '@strata/tenancy';
import type { MentionChange, RelationEditRow } from './graph-mentions.repository';

type Db = Pick<EntityManager, 'query'>;

/** Fields an editor sets on an entity; null clears an earlier edit (back to the merged value). */
export interface EntityEdit {
  /** How the name is written (its key stays: renaming is GraphEdits.renameEntity). */
  name?: string | null;
  type?: string | null;
  description?: string | null;
}

/** An entity an editor creates: its name as given, its type and description. */
export interface CreatedEntity {
  name: string;
  type: string;
  description: string;
}

/** A relation an editor creates. */
export interface CreatedRelation {
  keywords: string;
  description: string;
  weight: number;
}

/** Fields an editor sets on a relation; null clears an earlier edit. */
export interface RelationEdit {
  keywords?: string | null;
  description?: string | null;
  weight?: number | null;
}

/**
 * Editors' changes to a KB's graph, stored beside the mentions so that no extraction overwrites
 * them. Each write bumps the KB's graph version, like a change of mentions.
 */
export const GraphEdits = {
  async editEntity(db: Db, scope: KbScope, key: string, edit: EntityEdit): Promise<void> {
    await upsertEdit(db, 'graph_entity_edits', ['entity_key'], [key], scope, edit as Record<string, unknown>);
    await bumpKbGraphVersion(db, scope);
  },

  async editRelation(
    db: Db,
    scope: KbScope,
    pair: readonly [string, string],
    edit: RelationEdit,
  ): Promise<void> {
    await upsertEdit(
      db,
      'graph_relation_edits',
      ['source_key', 'target_key'],
      [...pair],
      scope,
      edit as Record<string, unknown>,
    );
    await bumpKbGraphVersion(db, scope);
  },

  /**
   * An entity an editor made: it exists with these fields whether or not documents mention it
   * (their mentions' sources join it), until deleted. Undoes an earlier deletion, which brings
   * back the relations documents or editors gave it: answers what the merged graph must recompute.
   */
  async createEntity(db: Db, scope: KbScope, key: string, fields: CreatedEntity): Promise<MentionChange> {
    const params = [scope.tenantId, scope.kbId, key];
    const [earlier] = (await db.query(
      'SELECT deleted FROM graph_entity_edits WHERE tenant_id = $1 AND kb_id = $2 AND entity_key = $3',
      params,
    )) as Array<{ deleted: boolean }>;
    await markEdit(db, 'graph_entity_edits', ['entity_key'], [key], scope, { ...fields, created: true });
    if (!earlier?.deleted) return { entityKeys: [key], relationPairs: [] };
    // Once per undone deletion: relation mentions have no index by their second end.
    const pairs = (await db.query(
      `SELECT source_key, target_key FROM graph_relation_mentions
       WHERE tenant_id = $1 AND kb_id = $2 AND (source_key = $3 OR target_key = $3)
       UNION
       SELECT source_key, target_key FROM graph_relation_edits
       WHERE tenant_id = $1 AND kb_id = $2 AND (source_key = $3 OR target_key = $3) AND created`,
      params,
    )) as Array<{ source_key: string; target_key: string }>;
    return { entityKeys: [key], relationPairs: pairs.map((p) => [p.source_key, p.target_key]) };
  },

  /**
   * Leaves the entity, and every relation of it, out of the graph whatever mentions it, through
   * re-ingestion, until an editor creates it again.
   */
  async deleteEntity(db: Db, scope: KbScope, key: string): Promise<void> {
    await markEdit(db, 'graph_entity_edits', ['entity_key'], [key], scope, { deleted: true });
  },

  /** A relation an editor made between two entities, as createEntity. */
  async createRelation(
    db: Db,
    scope: KbScope,
    pair: readonly [string, string],
    fields: CreatedRelation,
  ): Promise<void> {
    await markEdit(db, 'graph_relation_edits', ['source_key', 'target_key'], [...pair], scope, {
      ...fields,
      created: true,
    });
  },

  /** Leaves the relation out of the graph whatever mentions it, as deleteEntity. */
  async deleteRelation(db: Db, scope: KbScope, pair: readonly [string, string]): Promise<void> {
    await markEdit(db, 'graph_relation_edits', ['source_key', 'target_key'], [...pair], scope, {
      deleted: true,
    });
  },

  /**
   * Drops the edits of the entities and relations of `change` that no mention holds any more (a
   * deleted document was their last source): an editor's change was to that entity, and a later
   * document naming it again starts from its own text. Aliases stay: they say where a name goes.
   * What an editor created or deleted stays: it never depended on the documents.
   */
  async forgetUnmentioned(db: Db, scope: KbScope, change: MentionChange): Promise<void> {
    const params = [scope.tenantId, scope.kbId];
    if (change.entityKeys.length > 0)
      await db.query(
        `DELETE FROM graph_entity_edits e
         WHERE e.tenant_id = $1 AND e.kb_id = $2 AND e.entity_key = ANY($3::text[]) AND NOT e.created AND NOT e.deleted
           AND NOT EXISTS (SELECT 1 FROM graph_entity_mentions m
             WHERE m.tenant_id = $1 AND m.kb_id = $2 AND m.entity_key = e.entity_key)`,
        [...params, change.entityKeys],
      );
    if (change.relationPairs.length > 0)
      await db.query(
        `DELETE FROM graph_relation_edits e
         USING unnest($3::text[], $4::text[]) AS p(source_key, target_key)
         WHERE e.tenant_id = $1 AND e.kb_id = $2 AND e.source_key = p.source_key AND e.target_key = p.target_key
           AND NOT e.created AND NOT e.deleted
           AND NOT EXISTS (SELECT 1 FROM graph_relation_mentions m
             WHERE m.tenant_id = $1 AND m.kb_id = $2 AND m.source_key = e.source_key AND m.target_key = e.target_key)`,
        [...params, change.relationPairs.map(([a]) => a), change.relationPairs.map(([, b]) => b)],
      );
  },

  /**
   * Merges entity `from` into `into`: every mention of `from` becomes a mention of `into`, its
   * relations move over (a relation between the two disappears), its edits go, and an alias sends
   * later mentions of `from` to `into`. Answers what the merged graph must recompute.
   */
  async mergeEntities(db: Db, scope: KbScope, from: string, into: string): Promise<MentionChange> {
    const params = [scope.tenantId, scope.kbId, from, into];
    await db.query(
      `INSERT INTO graph_entity_aliases (tenant_id, kb_id, alias_key, entity_key) VALUES ($1, $2, $3, $4)
       ON CONFLICT (tenant_id, kb_id, alias_key) DO UPDATE SET entity_key = excluded.entity_key`,
      params,
    );
    await db.query(
      `UPDATE graph_entity_aliases SET entity_key = $4 WHERE tenant_id = $1 AND kb_id = $2 AND entity_key = $3`,
      params,
    );
    await db.query(
      `INSERT INTO graph_entity_mentions (tenant_id, kb_id, document_id, chunk_id, entity_key, name, type, description)
       SELECT tenant_id, kb_id, document_id, chunk_id, $4, name, type, description
       FROM graph_entity_mentions WHERE tenant_id = $1 AND kb_id = $2 AND entity_key = $3
       ON CONFLICT DO NOTHING`,
      params,
    );
    await db.query(
      'DELETE FROM graph_entity_mentions WHERE tenant_id = $1 AND kb_id = $2 AND entity_key = $3',
      [scope.tenantId, scope.kbId, from],
    );
    const moved = await updateReturning<{
      document_id: string;
      chunk_id: string;
      source_key: string;
      target_key: string;
      keywords: string;
      description: string;
      weight: number;
    }>(
      db,
      `DELETE FROM graph_relation_mentions
       WHERE tenant_id = $1 AND kb_id = $2 AND (source_key = $3 OR target_key = $3)
       RETURNING document_id, chunk_id, source_key, target_key, keywords, description, weight`,
      [scope.tenantId, scope.kbId, from],
    );
    const oldPairs: Array<[string, string]> = [];
    const newPairs: Array<[string, string]> = [];
    const rows = moved.flatMap((m) => {
      oldPairs.push([m.source_key, m.target_key]);
      const other = m.source_key === from ? m.target_key : m.source_key;
      if (other === into) return [];
      const [source, target] = relationPair(into, other);
      newPairs.push([source, target]);
      return [{ ...m, source_key: source, target_key: target }];
    });
    if (rows.length > 0) {
      await db.query(
        `INSERT INTO graph_relation_mentions
           (tenant_id, kb_id, document_id, chunk_id, source_key, target_key, keywords, description, weight)
         SELECT $1, $2, m.document_id::uuid, m.chunk_id::uuid, m.source_key, m.target_key, m.keywords, m.description, m.weight
         FROM jsonb_to_recordset($3::jsonb) AS m(document_id text, chunk_id text, source_key text, target_key text,
           keywords text, description text, weight double precision)
         ON CONFLICT DO NOTHING`,
        [scope.tenantId, scope.kbId, JSON.stringify(rows)],
      );
    }
    await db.query('DELETE FROM graph_entity_edits WHERE tenant_id = $1 AND kb_id = $2 AND entity_key = $3', [
      scope.tenantId,
      scope.kbId,
      from,
    ]);
    // The relations an editor made or deleted move over too (one with `into` itself goes); an
    // edit `into` has of the same relation wins. Field edits of `from`'s relations go with them.
    const relationEdits = await updateReturning<RelationEditRow>(
      db,
      `DELETE FROM graph_relation_edits WHERE tenant_id = $1 AND kb_id = $2 AND (source_key = $3 OR target_key = $3)
       RETURNING source_key, target_key, keywords, description, weight, created, deleted`,
      [scope.tenantId, scope.kbId, from],
    );
    const kept = relationEdits.flatMap((e) => {
      oldPairs.push([e.source_key, e.target_key]);
      const other = e.source_key === from ? e.target_key : e.source_key;
      if (other === into || !(e.created || e.deleted)) return [];
      const [source, target] = relationPair(into, other);
      newPairs.push([source, target]);
      return [{ ...e, source_key: source, target_key: target }];
    });
    if (kept.length > 0)
      await db.query(
        `INSERT INTO graph_relation_edits
           (tenant_id, kb_id, source_key, target_key, keywords, description, weight, created, deleted)
         SELECT $1, $2, e.source_key, e.target_key, e.keywords, e.description, e.weight, e.created, e.deleted
         FROM jsonb_to_recordset($3::jsonb) AS e(source_key text, target_key text, keywords text,
           description text, weight double precision, created boolean, deleted boolean)
         ON CONFLICT DO NOTHING`,
        [scope.tenantId, scope.kbId, JSON.stringify(kept)],
      );
    await bumpKbGraphVersion(db, scope);
    return {
      entityKeys: [...new Set([from, into, ...newPairs.flat()])],
      relationPairs: [...oldPairs, ...newPairs],
    };
  },

  /**
   * Renames entity `from` to `name` (key `into`, which must be free): its edits carry over, with
   * the new name, then it merges into the new key (see mergeEntities), so an alias sends later
   * mentions of the old name to the new one. Answers what the merged graph must recompute.
   */
  async renameEntity(
    db: Db,
    scope: KbScope,
    from: string,
    into: string,
    name: string,
  ): Promise<MentionChange> {
    await db.query(
      `INSERT INTO graph_entity_edits (tenant_id, kb_id, entity_key, name, type, description, created, deleted)
       SELECT $1, $2, $4, $5, e.type, e.description, coalesce(e.created, false), false
       FROM (SELECT 1) one
       LEFT JOIN graph_entity_edits e ON e.tenant_id = $1 AND e.kb_id = $2 AND e.entity_key = $3
       ON CONFLICT (tenant_id, kb_id, entity_key) DO UPDATE SET name = excluded.name, type = excluded.type,
         description = excluded.description, created = excluded.created, deleted = false, updated_at = now()`,
      [scope.tenantId, scope.kbId, from, into, name],
    );
    return GraphEdits.mergeEntities(db, scope, from, into);
  },
};

const EDITABLE = {
  graph_entity_edits: ['name', 'type', 'description'],
  graph_relation_edits: ['keywords', 'description', 'weight'],
};

/** Sets the given fields of an edit row (undefined keeps, null clears), dropping rows left empty. */
async function upsertEdit(
  db: Db,
  table: 'graph_entity_edits' | 'graph_relation_edits',
  keyColumns: string[],
  keyValues: string[],
  scope: KbScope,
  edit: Record<string, unknown>,
): Promise<void> {
  // Column names come from this list only, never from the caller's object.
  const editable = EDITABLE[table];
  const fields = Object.entries(edit).filter(
    ([field, value]) => value !== undefined && editable.includes(field),
  );
  if (fields.length === 0) return;
  const columns = [...keyColumns, ...fields.map(([field]) => field)];
  const values = [...keyValues, ...fields.map(([, value]) => value)];
  const placeholders = values.map((_, i) => `$${i + 3}`);
  await db.query(
    `INSERT INTO ${table} (tenant_id, kb_id, ${columns.join(', ')}) VALUES ($1, $2, ${placeholders.join(', ')})
     ON CONFLICT (tenant_id, kb_id, ${keyColumns.join(', ')})
     DO UPDATE SET ${fields.map(([field]) => `${field} = excluded.${field}`).join(', ')}, updated_at = now()`,
    [scope.tenantId, scope.kbId, ...values],
  );
  await db.query(
    `DELETE FROM ${table} WHERE tenant_id = $1 AND kb_id = $2
       AND ${keyColumns.map((column, i) => `${column} = $${i + 3}`).join(' AND ')}
       AND ${editable.map((column) => `${column} IS NULL`).join(' AND ')} AND NOT created AND NOT deleted`,
    [scope.tenantId, scope.kbId, ...keyValues],
  );
}

/**
 * Marks an edit row created (with the fields it is created with, replacing earlier edits of them)
 * or deleted (its other edits kept, for nothing reads them while it is deleted), and bumps the
 * KB's graph version.
 */
async function markEdit(
  db: Db,
  table: 'graph_entity_edits' | 'graph_relation_edits',
  keyColumns: string[],
  keyValues: string[],
  scope: KbScope,
  mark: ({ created: true } & (CreatedEntity | CreatedRelation)) | { deleted: true },
): Promise<void> {
  const given = mark as Record<string, unknown>;
  const fields = 'created' in mark ? EDITABLE[table].map((field) => [field, given[field]] as const) : [];
  const columns = [...keyColumns, ...fields.map(([field]) => field), 'created', 'deleted'];
  const values = [...keyValues, ...fields.map(([, value]) => value), 'created' in mark, 'deleted' in mark];
  const placeholders = values.map((_, i) => `$${i + 3}`);
  await db.query(
    `INSERT INTO ${table} (tenant_id, kb_id, ${columns.join(', ')}) VALUES ($1, $2, ${placeholders.join(', ')})
     ON CONFLICT (tenant_id, kb_id, ${keyColumns.join(', ')})
     DO UPDATE SET ${columns
       .slice(keyColumns.length)
       .map((column) => `${column} = excluded.${column}`)
       .join(', ')}, updated_at = now()`,
    [scope.tenantId, scope.kbId, ...values],
  );
  await bumpKbGraphVersion(db, scope);
}
