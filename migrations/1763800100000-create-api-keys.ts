import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Tenant API keys, stored as SHA-256 hashes with an 8-character display prefix. */
export class CreateApiKeys1763800100000 implements MigrationInterface {
  name = 'CreateApiKeys1763800100000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE api_keys (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
        name text NOT NULL,
        prefix char(8) NOT NULL,
        key_hash char(64) NOT NULL UNIQUE,
        role text NOT NULL CHECK (role IN ('admin', 'editor', 'viewer')),
        knowledge_base_ids uuid[],
        permissions jsonb NOT NULL,
        created_by uuid REFERENCES users (id) ON DELETE SET NULL,
        last_used_at timestamptz,
        expires_at timestamptz,
        revoked_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX api_keys_tenant_idx ON api_keys (tenant_id, id)`);
    await db.query(`CREATE INDEX api_keys_prefix_idx ON api_keys (prefix)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE api_keys');
  }
}
