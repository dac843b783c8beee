import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tokens that cost money, counted per tenant, KB, day, model and purpose (the LLM's answer,
 * keywords and extraction, a provider's embeddings), so usage can show them and their cost; and a
 * tenant's daily embedding tokens beside its LLM tokens in usage_daily, where the daily token
 * quotas are checked in one row. A KB's rows outlive it: what it cost stays counted.
 */
export class TokenUsage1766600000000 implements MigrationInterface {
  name = 'TokenUsage1766600000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE token_usage_daily (
        tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
        day date NOT NULL,
        kb_id uuid NOT NULL,
        purpose text NOT NULL CHECK (purpose IN ('answer', 'keywords', 'extraction', 'embedding')),
        model text NOT NULL,
        tokens_in bigint NOT NULL DEFAULT 0,
        tokens_out bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (tenant_id, day, kb_id, purpose, model)
      )`);
    await db.query(`ALTER TABLE usage_daily ADD COLUMN embedding_tokens bigint NOT NULL DEFAULT 0`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE usage_daily DROP COLUMN embedding_tokens');
    await db.query('DROP TABLE token_usage_daily');
  }
}
