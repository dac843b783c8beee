import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Audit events gain the version of their hash: 1, SHA-256 over the event (every event written
 * before this migration), 2, HMAC-SHA256 keyed from MASTER_KEY (every event after). The column has
 * no default: each insert states how its hash was made.
 */
export class KeyedAuditChain1765100000000 implements MigrationInterface {
  name = 'KeyedAuditChain1765100000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE audit_events ADD COLUMN hash_version smallint NOT NULL DEFAULT 1`);
    await db.query(`ALTER TABLE audit_events ALTER COLUMN hash_version DROP DEFAULT`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE audit_events DROP COLUMN hash_version`);
  }
}
