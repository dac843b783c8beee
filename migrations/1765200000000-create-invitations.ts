import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Invitations to a tenant: a tenant admin invites an email with the grant it will get; the person
 * accepts with the token (shown once; only its hash is kept). Pending while none of accepted_at,
 * revoked_at is set and expires_at is ahead.
 */
export class CreateInvitations1765200000000 implements MigrationInterface {
  name = 'CreateInvitations1765200000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE invitations (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
        email text NOT NULL,
        role text NOT NULL CHECK (role IN ('admin', 'editor', 'viewer')),
        knowledge_base_ids uuid[],
        permissions jsonb NOT NULL DEFAULT '{}',
        token_hash char(64) NOT NULL UNIQUE,
        invited_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        accepted_at timestamptz,
        accepted_user_id uuid REFERENCES users (id) ON DELETE SET NULL,
        revoked_at timestamptz
      )`);
    await db.query(`CREATE INDEX invitations_tenant_idx ON invitations (tenant_id, id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE invitations');
  }
}
