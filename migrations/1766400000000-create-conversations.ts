import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Conversations kept by the server: one person's (or API key's) questions to a set of KBs, their
 * answers, and the ratings given to the answers.
 *
 * - A conversation goes with its tenant, and with any of its KBs: its answers came from that KB.
 * - `question` and `answer` are null when the tenant keeps no query text
 *   (`privacy.store_query_text` off); the rest of a turn (mode, model, references, timings) stays.
 * - Turns are ordered by their id (uuid v7, time-ordered).
 */
export class CreateConversations1766400000000 implements MigrationInterface {
  name = 'CreateConversations1766400000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE conversations (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
        owner_type text NOT NULL CHECK (owner_type IN ('user', 'api_key')),
        owner_id uuid NOT NULL,
        title text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(
      `CREATE INDEX conversations_owner_idx ON conversations (tenant_id, owner_type, owner_id, id)`,
    );
    await db.query(`CREATE INDEX conversations_updated_idx ON conversations (tenant_id, updated_at)`);
    await db.query(`
      CREATE TABLE conversation_knowledge_bases (
        conversation_id uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
        tenant_id uuid NOT NULL,
        kb_id uuid NOT NULL REFERENCES knowledge_bases (id) ON DELETE CASCADE,
        position smallint NOT NULL,
        PRIMARY KEY (conversation_id, kb_id)
      )`);
    await db.query(
      `CREATE INDEX conversation_knowledge_bases_kb_idx ON conversation_knowledge_bases (tenant_id, kb_id)`,
    );
    // A KB deleted takes the conversations that asked it: their answers came from its documents.
    await db.query(`
      CREATE FUNCTION conversations_follow_knowledge_base() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM conversations WHERE id = OLD.conversation_id;
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER conversation_knowledge_bases_gone AFTER DELETE ON conversation_knowledge_bases
      FOR EACH ROW EXECUTE FUNCTION conversations_follow_knowledge_base()`);
    await db.query(`
      CREATE TABLE conversation_turns (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        conversation_id uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
        question text,
        answer text,
        answer_source text,
        mode text NOT NULL,
        model text,
        "references" jsonb NOT NULL,
        timings_ms jsonb NOT NULL,
        usage jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(
      `CREATE INDEX conversation_turns_conversation_idx ON conversation_turns (tenant_id, conversation_id, id)`,
    );
    await db.query(`CREATE INDEX conversation_turns_age_idx ON conversation_turns (tenant_id, created_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE conversation_turns');
    await db.query('DROP TABLE conversation_knowledge_bases');
    await db.query('DROP FUNCTION conversations_follow_knowledge_base');
    await db.query('DROP TABLE conversations');
  }
}
