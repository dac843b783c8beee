import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Per-tenant, per-day usage counters (queries, tokens, ingested bytes and documents). */
export class CreateUsageDaily1763800300000 implements MigrationInterface {
  name = 'CreateUsageDaily1763800300000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE usage_daily (
        tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
        day date NOT NULL,
        queries bigint NOT NULL DEFAULT 0,
        tokens_in bigint NOT NULL DEFAULT 0,
        tokens_out bigint NOT NULL DEFAULT 0,
        bytes_ingested bigint NOT NULL DEFAULT 0,
        documents bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (tenant_id, day)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE usage_daily');
  }
}
