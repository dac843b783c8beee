import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * API key rotation: a rotated key is a new key with the old one's name, role, KBs, flags and
 * expiry, `rotated_from` naming the key it replaces (which keeps working for a grace period, then
 * expires).
 */
export class ApiKeyRotation1765700000000 implements MigrationInterface {
  name = 'ApiKeyRotation1765700000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `ALTER TABLE api_keys ADD COLUMN rotated_from uuid REFERENCES api_keys (id) ON DELETE SET NULL`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE api_keys DROP COLUMN rotated_from`);
  }
}
