import { type SqlRunner, updateReturning } from '@strata/storage';
import type { TenantScope } from '@strata/tenancy';

/** Whose conversations: a person's, or an API key's. */
export interface ConversationOwner {
  type: 'user' | 'api_key';
  id: string;
}

export interface ConversationRow {
  id: string;
  owner_type: ConversationOwner['type'];
  owner_id: string;
  title: string;
  /** In the order they were named: the first one's settings answer. */
  kb_ids: string[];
  created_at: Date;
  updated_at: Date;
}

export interface TurnRow {
  id: string;
  conversation_id: string;
  question: string | null;
  answer: string | null;
  answer_source: string | null;
  mode: string;
  model: string | null;
  references: unknown[];
  timings_ms: Record<string, number>;
  usage: Record<string, number>;
  created_at: Date;
}

export type NewTurn = Omit<TurnRow, 'created_at'>;

/**
 * Which conversations a caller may see: their own, and only those whose every KB they are
 * assigned to (`kbIds` null: every KB of the tenant).
 */
export interface ConversationReader {
  owner: ConversationOwner;
  kbIds: readonly string[] | null;
}

const COLUMNS = `c.id, c.owner_type, c.owner_id, c.title, c.created_at, c.updated_at,
  ARRAY(SELECT ck.kb_id FROM conversation_knowledge_bases ck
        WHERE ck.conversation_id = c.id ORDER BY ck.position) AS kb_ids`;

const TURN_COLUMNS = `id, conversation_id, question, answer, answer_source, mode, model, "references",
  timings_ms, usage, created_at`;

/** `c` is the reader's and lies inside their KB assignment; parameters $1 tenant, $2-$4 the reader. */
const READABLE = `c.tenant_id = $1 AND c.owner_type = $2 AND c.owner_id = $3
  AND ($4::uuid[] IS NULL OR NOT EXISTS (
    SELECT 1 FROM conversation_knowledge_bases ck
    WHERE ck.conversation_id = c.id AND NOT (ck.kb_id = ANY($4::uuid[]))))`;

const readerParams = (scope: TenantScope, reader: ConversationReader) => [
  scope.tenantId,
  reader.owner.type,
  reader.owner.id,
  reader.kbIds === null ? null : [...reader.kbIds],
];

export const ConversationsRepository = {
  async insert(
    db: SqlRunner,
    scope: TenantScope,
    conversation: { id: string; owner: ConversationOwner; title: string; kbIds: readonly string[] },
  ): Promise<void> {
    await db.query(
      `INSERT INTO conversations (id, tenant_id, owner_type, owner_id, title) VALUES ($1, $2, $3, $4, $5)`,
      [conversation.id, scope.tenantId, conversation.owner.type, conversation.owner.id, conversation.title],
    );
    await db.query(
      `INSERT INTO conversation_knowledge_bases (conversation_id, tenant_id, kb_id, position)
       SELECT $1, $2, kb_id, position - 1 FROM unnest($3::uuid[]) WITH ORDINALITY AS kb(kb_id, position)`,
      [conversation.id, scope.tenantId, [...conversation.kbIds]],
    );
  },

  async find(
    db: SqlRunner,
    scope: TenantScope,
    reader: ConversationReader,
    id: string,
  ): Promise<ConversationRow | null> {
    const [row] = (await db.query(`SELECT ${COLUMNS} FROM conversations c WHERE ${READABLE} AND c.id = $5`, [
      ...readerParams(scope, reader),
      id,
    ])) as ConversationRow[];
    return row ?? null;
  },

  /** Newest first; `before` is the last id of the previous page; `kbId` keeps those that asked it. */
  async list(
    db: SqlRunner,
    scope: TenantScope,
    reader: ConversationReader,
    page: { before: string | null; limit: number; kbId: string | null },
  ): Promise<ConversationRow[]> {
    return (await db.query(
      `SELECT ${COLUMNS} FROM conversations c
       WHERE ${READABLE} AND ($5::uuid IS NULL OR c.id < $5)
         AND ($6::uuid IS NULL OR EXISTS (
           SELECT 1 FROM conversation_knowledge_bases ck WHERE ck.conversation_id = c.id AND ck.kb_id = $6))
       ORDER BY c.id DESC LIMIT $7`,
      [...readerParams(scope, reader), page.before, page.kbId, page.limit + 1],
    )) as ConversationRow[];
  },

  async rename(
    db: SqlRunner,
    scope: TenantScope,
    reader: ConversationReader,
    id: string,
    title: string,
  ): Promise<boolean> {
    const rows = await updateReturning<{ id: string }>(
      db,
      `UPDATE conversations c SET title = $6 WHERE ${READABLE} AND c.id = $5 RETURNING c.id`,
      [...readerParams(scope, reader), id, title],
    );
    return rows.length > 0;
  },

  async delete(db: SqlRunner, scope: TenantScope, reader: ConversationReader, id: string): Promise<boolean> {
    const rows = await updateReturning<{ id: string }>(
      db,
      `DELETE FROM conversations c WHERE ${READABLE} AND c.id = $5 RETURNING c.id`,
      [...readerParams(scope, reader), id],
    );
    return rows.length > 0;
  },

  /** Adds a turn and marks the conversation active now; false when the conversation is gone. */
  async addTurn(db: SqlRunner, scope: TenantScope, turn: NewTurn): Promise<boolean> {
    const touched = await updateReturning<{ id: string }>(
      db,
      `UPDATE conversations SET updated_at = now() WHERE tenant_id = $1 AND id = $2 RETURNING id`,
      [scope.tenantId, turn.conversation_id],
    );
    if (touched.length === 0) return false;
    await db.query(
      `INSERT INTO conversation_turns
         (id, tenant_id, conversation_id, question, answer, answer_source, mode, model, "references", timings_ms, usage)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        turn.id,
        scope.tenantId,
        turn.conversation_id,
        turn.question,
        turn.answer,
        turn.answer_source,
        turn.mode,
        turn.model,
        JSON.stringify(turn.references),
        JSON.stringify(turn.timings_ms),
        JSON.stringify(turn.usage),
      ],
    );
    return true;
  },

  /** The conversations' turns, oldest first (the caller has checked the conversations are readable). */
  async turns(db: SqlRunner, scope: TenantScope, conversationIds: readonly string[]): Promise<TurnRow[]> {
    if (conversationIds.length === 0) return [];
    return (await db.query(
      `SELECT ${TURN_COLUMNS} FROM conversation_turns WHERE tenant_id = $1 AND conversation_id = ANY($2::uuid[]) ORDER BY id`,
      [scope.tenantId, [...conversationIds]],
    )) as TurnRow[];
  },

  /** One turn of a conversation (the caller has checked the conversation is readable). */
  async turn(
    db: SqlRunner,
    scope: TenantScope,
    conversationId: string,
    turnId: string,
  ): Promise<TurnRow | null> {
    const [row] = (await db.query(
      `SELECT ${TURN_COLUMNS} FROM conversation_turns WHERE tenant_id = $1 AND conversation_id = $2 AND id = $3`,
      [scope.tenantId, conversationId, turnId],
    )) as TurnRow[];
    return row ?? null;
  },

  /** The conversation's latest turns that kept their text, newest first: the history a question gets. */
  async recentExchanges(
    db: SqlRunner,
    scope: TenantScope,
    conversationId: string,
    limit: number,
  ): Promise<Array<{ question: string; answer: string; references: unknown[] }>> {
    return (await db.query(
      `SELECT question, answer, "references" FROM conversation_turns
       WHERE tenant_id = $1 AND conversation_id = $2 AND question IS NOT NULL AND answer IS NOT NULL
       ORDER BY id DESC LIMIT $3`,
      [scope.tenantId, conversationId, limit],
    )) as Array<{ question: string; answer: string; references: unknown[] }>;
  },

  /** Every member's conversations active in a time range, oldest first, for a compliance export. */
  async exportPage(
    db: SqlRunner,
    scope: TenantScope,
    range: { since: Date | null; until: Date | null; after: string | null; limit: number },
  ): Promise<ConversationRow[]> {
    return (await db.query(
      `SELECT ${COLUMNS} FROM conversations c
       WHERE c.tenant_id = $1 AND ($2::timestamptz IS NULL OR c.updated_at >= $2)
         AND ($3::timestamptz IS NULL OR c.created_at < $3) AND ($4::uuid IS NULL OR c.id > $4)
       ORDER BY c.id LIMIT $5`,
      [scope.tenantId, range.since, range.until, range.after, range.limit],
    )) as ConversationRow[];
  },

  /** Retention: removes up to `limit` of the tenant's turns older than `cutoff`; answers how many went. */
  async removeTurnsOlderThan(
    db: SqlRunner,
    scope: TenantScope,
    cutoff: Date,
    limit: number,
  ): Promise<number> {
    const rows = await updateReturning<{ id: string }>(
      db,
      `DELETE FROM conversation_turns WHERE id IN (
         SELECT id FROM conversation_turns WHERE tenant_id = $1 AND created_at < $2 LIMIT $3)
       RETURNING id`,
      [scope.tenantId, cutoff, limit],
    );
    return rows.length;
  },

  /** Retention: removes up to `limit` conversations with no turn left and no activity since `cutoff`. */
  async removeIdleConversations(
    db: SqlRunner,
    scope: TenantScope,
    cutoff: Date,
    limit: number,
  ): Promise<number> {
    const rows = await updateReturning<{ id: string }>(
      db,
      `DELETE FROM conversations WHERE id IN (
         SELECT c.id FROM conversations c WHERE c.tenant_id = $1 AND c.updated_at < $2
           AND NOT EXISTS (SELECT 1 FROM conversation_turns t WHERE t.tenant_id = $1 AND t.conversation_id = c.id)
         LIMIT $3)
       RETURNING id`,
      [scope.tenantId, cutoff, limit],
    );
    return rows.length;
  },
};
