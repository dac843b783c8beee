import { type SqlRunner, updateReturning } from '@strata/storage';
import type { KbScope, TenantScope } from '@strata/tenancy';

export const RATINGS = ['up', 'down'] as const;
export type Rating = (typeof RATINGS)[number];

export interface FeedbackRow {
  turn_id: string;
  conversation_id: string;
  rating: Rating;
  comment: string | null;
  reference_id: number | null;
  created_at: Date;
  updated_at: Date;
}

/** A rating with the answer it rates, as a KB's editors list them. */
export interface RatedAnswerRow extends FeedbackRow {
  question: string | null;
  answer: string | null;
  mode: string;
  model: string | null;
  references: Array<{ id: number }>;
  kb_ids: string[];
}

export interface FeedbackFilter {
  rating: Rating | null;
  since: Date | null;
  until: Date | null;
}

const FEEDBACK_COLUMNS = `turn_id, conversation_id, rating, comment, reference_id, created_at, updated_at`;

export const AnswerFeedbackRepository = {
  /** Rates a turn, replacing an earlier rating of it. */
  async rate(
    db: SqlRunner,
    scope: TenantScope,
    row: Pick<FeedbackRow, 'turn_id' | 'conversation_id' | 'rating' | 'comment' | 'reference_id'>,
  ): Promise<FeedbackRow> {
    const [saved] = (await db.query(
      `INSERT INTO answer_feedback (turn_id, tenant_id, conversation_id, rating, comment, reference_id)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (turn_id) DO UPDATE
         SET rating = EXCLUDED.rating, comment = EXCLUDED.comment, reference_id = EXCLUDED.reference_id,
             updated_at = now()
       RETURNING ${FEEDBACK_COLUMNS}`,
      [row.turn_id, scope.tenantId, row.conversation_id, row.rating, row.comment, row.reference_id],
    )) as FeedbackRow[];
    return saved;
  },

  async remove(db: SqlRunner, scope: TenantScope, turnId: string): Promise<boolean> {
    const rows = await updateReturning<{ turn_id: string }>(
      db,
      `DELETE FROM answer_feedback WHERE tenant_id = $1 AND turn_id = $2 RETURNING turn_id`,
      [scope.tenantId, turnId],
    );
    return rows.length > 0;
  },

  async ofTurns(db: SqlRunner, scope: TenantScope, turnIds: readonly string[]): Promise<FeedbackRow[]> {
    if (turnIds.length === 0) return [];
    return (await db.query(
      `SELECT ${FEEDBACK_COLUMNS} FROM answer_feedback WHERE tenant_id = $1 AND turn_id = ANY($2::uuid[])`,
      [scope.tenantId, [...turnIds]],
    )) as FeedbackRow[];
  },

  /**
   * Ratings of answers from a KB, newest answer first: those of conversations that asked it and
   * whose every KB lies in `readerKbIds` (null: any), so an answer drawn from a KB the reader does
   * not see is not shown to them. `before` is the last turn id of the previous page.
   */
  async ofKnowledgeBase(
    db: SqlRunner,
    scope: KbScope,
    readerKbIds: readonly string[] | null,
    filter: FeedbackFilter,
    page: { before: string | null; limit: number },
  ): Promise<RatedAnswerRow[]> {
    return (await db.query(
      `SELECT f.turn_id, f.conversation_id, f.rating, f.comment, f.reference_id, f.created_at, f.updated_at,
              t.question, t.answer, t.mode, t.model, t."references",
              ARRAY(SELECT ck.kb_id FROM conversation_knowledge_bases ck
                    WHERE ck.conversation_id = f.conversation_id ORDER BY ck.position) AS kb_ids
       FROM answer_feedback f JOIN conversation_turns t ON t.id = f.turn_id
       WHERE f.tenant_id = $1
         AND EXISTS (SELECT 1 FROM conversation_knowledge_bases ck
                     WHERE ck.conversation_id = f.conversation_id AND ck.kb_id = $2)
         AND ($3::uuid[] IS NULL OR NOT EXISTS (
               SELECT 1 FROM conversation_knowledge_bases ck
               WHERE ck.conversation_id = f.conversation_id AND NOT (ck.kb_id = ANY($3::uuid[]))))
         AND ($4::text IS NULL OR f.rating = $4)
         AND ($5::timestamptz IS NULL OR f.updated_at >= $5)
         AND ($6::timestamptz IS NULL OR f.updated_at < $6)
         AND ($7::uuid IS NULL OR f.turn_id < $7)
       ORDER BY f.turn_id DESC LIMIT $8`,
      [
        scope.tenantId,
        scope.kbId,
        readerKbIds === null ? null : [...readerKbIds],
        filter.rating,
        filter.since,
        filter.until,
        page.before,
        page.limit + 1,
      ],
    )) as RatedAnswerRow[];
  },

  /**
   * Ratings per day of their last change over the tenant's last `days` days, newest first, with
   * days counted as the usage counters count them (the database's current_date).
   */
  async daily(
    db: SqlRunner,
    scope: TenantScope,
    days: number,
  ): Promise<Array<{ day: string; up: number; down: number }>> {
    const rows = (await db.query(
      `SELECT to_char(updated_at::date, 'YYYY-MM-DD') AS day,
              count(*) FILTER (WHERE rating = 'up')::int AS up,
              count(*) FILTER (WHERE rating = 'down')::int AS down
       FROM answer_feedback
       WHERE tenant_id = $1 AND updated_at >= current_date - ($2::int - 1)
       GROUP BY 1 ORDER BY 1 DESC`,
      [scope.tenantId, days],
    )) as Array<{ day: string; up: number; down: number }>;
    return rows;
  },
};
