import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A rating of a conversation's answer by its owner: up or down, an optional comment and the
 * reference ([n]) that was wrong. One per turn (rating again replaces it); it goes with its turn.
 */
export class CreateAnswerFeedback1766500000000 implements MigrationInterface {
  name = 'CreateAnswerFeedback1766500000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE answer_feedback (
        turn_id uuid PRIMARY KEY REFERENCES conversation_turns (id) ON DELETE CASCADE,
        tenant_id uuid NOT NULL,
        conversation_id uuid NOT NULL,
        rating text NOT NULL CHECK (rating IN ('up', 'down')),
        comment text,
        reference_id integer,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX answer_feedback_recent_idx ON answer_feedback (tenant_id, updated_at)`);
    await db.query(
      `CREATE INDEX answer_feedback_conversation_idx ON answer_feedback (tenant_id, conversation_id)`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE answer_feedback');
  }
}
