import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One-time password resets a platform admin issues for an account: the person sets a new
 * password with the token (shown once to the admin; only its hash is kept) before it expires.
 * Usable while used_at and revoked_at are unset and expires_at is ahead; issuing a new one
 * revokes the account's earlier ones.
 */
export class CreatePasswordResets1765600000000 implements MigrationInterface {
  name = 'CreatePasswordResets1765600000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE password_resets (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        token_hash char(64) NOT NULL UNIQUE,
        issued_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        revoked_at timestamptz
      )`);
    await db.query(`CREATE INDEX password_resets_user_idx ON password_resets (user_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE password_resets');
  }
}
