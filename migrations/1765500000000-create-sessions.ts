import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sessions: one per sign-in, the authority on whether its tokens still work. A session's access
 * tokens carry its id (`sid`) and are refused once it is revoked (logout, sign out everywhere, a
 * password change, a disabled account), not only its refresh tokens; its refresh tokens are the
 * rotation family they were (`refresh_tokens.family_id` now names the session). Each existing
 * family becomes a session: created with its first token, last used with its latest, revoked
 * when any of its tokens was (a family was revoked whole). `refresh_tokens.revoked_at` goes: a
 * token is live while unused, unexpired and in a live session.
 */
export class CreateSessions1765500000000 implements MigrationInterface {
  name = 'CreateSessions1765500000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE sessions (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        tenant_id uuid REFERENCES tenants (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        ip text,
        user_agent text,
        revoked_at timestamptz,
        revoked_reason text
      )`);
    await db.query(`CREATE INDEX sessions_live_user_idx ON sessions (user_id) WHERE revoked_at IS NULL`);
    await db.query(`
      INSERT INTO sessions (id, user_id, tenant_id, created_at, last_used_at, expires_at, revoked_at, revoked_reason)
      SELECT family_id, (array_agg(user_id))[1], (array_agg(tenant_id))[1], min(created_at), max(created_at),
        max(expires_at), max(revoked_at), CASE WHEN max(revoked_at) IS NOT NULL THEN 'revoked' END
      FROM refresh_tokens GROUP BY family_id`);
    await db.query(`
      ALTER TABLE refresh_tokens ADD CONSTRAINT refresh_tokens_session_fk
        FOREIGN KEY (family_id) REFERENCES sessions (id) ON DELETE CASCADE`);
    await db.query(`ALTER TABLE refresh_tokens DROP COLUMN revoked_at`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE refresh_tokens ADD COLUMN revoked_at timestamptz`);
    await db.query(`
      UPDATE refresh_tokens t SET revoked_at = s.revoked_at
      FROM sessions s WHERE s.id = t.family_id AND s.revoked_at IS NOT NULL`);
    await db.query(`ALTER TABLE refresh_tokens DROP CONSTRAINT refresh_tokens_session_fk`);
    await db.query(`DROP TABLE sessions`);
  }
}
