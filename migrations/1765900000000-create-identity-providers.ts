import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Single sign-on through OpenID Connect providers a platform admin configures.
 *
 * - identity_providers: one per provider; its client secret is sealed with the master key (bound
 *   to the provider's id); `mappings` are the rules turning a claim value (a group) into a
 *   membership of a tenant.
 * - user_identities: who a provider's subject is in Strata (one account per provider subject),
 *   with the claim values it had at its last sign-in.
 * - sso_handoffs: a finished sign-in waiting for the console to take its tokens, under a one-time
 *   code (hashed) that lives a minute. What the callback is checked against (state, nonce, PKCE
 *   verifier) is not here: it travels sealed in a cookie of the browser that started the
 *   sign-in, which also binds the callback to that browser.
 * - memberships.granted_by_provider: memberships a provider's rules made; those (and only those)
 *   follow the provider at each sign-in, so a person removed from a group loses the role.
 * - users.password_hash may be null: an account made at its first single sign-on has no password.
 */
export class CreateIdentityProviders1765900000000 implements MigrationInterface {
  name = 'CreateIdentityProviders1765900000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE identity_providers (
        id uuid PRIMARY KEY,
        slug text NOT NULL UNIQUE,
        display_name text NOT NULL,
        issuer text NOT NULL,
        client_id text NOT NULL,
        client_secret_sealed text NOT NULL,
        scopes text[] NOT NULL,
        groups_claim text NOT NULL,
        link_verified_email boolean NOT NULL DEFAULT false,
        mappings jsonb NOT NULL DEFAULT '[]',
        enabled boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      CREATE TABLE user_identities (
        provider_id uuid NOT NULL REFERENCES identity_providers (id) ON DELETE CASCADE,
        subject text NOT NULL,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        email text,
        claim_values text[] NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        last_login_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (provider_id, subject)
      )`);
    await db.query(`CREATE INDEX user_identities_user_idx ON user_identities (user_id)`);
    await db.query(`
      CREATE TABLE sso_handoffs (
        code_hash char(64) PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        tenant_id uuid REFERENCES tenants (id) ON DELETE CASCADE,
        provider_id uuid NOT NULL REFERENCES identity_providers (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        redeemed_at timestamptz
      )`);
    await db.query(`CREATE INDEX sso_handoffs_expires_idx ON sso_handoffs (expires_at)`);
    await db.query(`
      ALTER TABLE memberships ADD COLUMN granted_by_provider uuid
        REFERENCES identity_providers (id) ON DELETE SET NULL`);
    await db.query(`
      CREATE INDEX memberships_granted_by_provider_idx ON memberships (granted_by_provider, user_id)
        WHERE granted_by_provider IS NOT NULL`);
    await db.query(`ALTER TABLE users ALTER COLUMN password_hash DROP NOT NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DELETE FROM users WHERE password_hash IS NULL`);
    await db.query(`ALTER TABLE users ALTER COLUMN password_hash SET NOT NULL`);
    await db.query(`ALTER TABLE memberships DROP COLUMN granted_by_provider`);
    await db.query(`DROP TABLE sso_handoffs`);
    await db.query(`DROP TABLE user_identities`);
    await db.query(`DROP TABLE identity_providers`);
  }
}
