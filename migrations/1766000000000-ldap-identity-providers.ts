import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Identity providers of a second kind: LDAP / Active Directory directories people sign in to with
 * their directory password. `kind` says which; an LDAP provider keeps its settings in `ldap`
 * (the search account's password sealed with the master key inside it) and has no issuer or
 * client. Rules, identities and granted memberships work the same for both kinds.
 */
export class LdapIdentityProviders1766000000000 implements MigrationInterface {
  name = 'LdapIdentityProviders1766000000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE identity_providers ADD COLUMN kind text NOT NULL DEFAULT 'oidc'`);
    await db.query(`ALTER TABLE identity_providers ADD COLUMN ldap jsonb`);
    await db.query(`
      ALTER TABLE identity_providers
        ALTER COLUMN issuer DROP NOT NULL,
        ALTER COLUMN client_id DROP NOT NULL,
        ALTER COLUMN client_secret_sealed DROP NOT NULL`);
    await db.query(`
      ALTER TABLE identity_providers ADD CONSTRAINT identity_providers_kind_check CHECK (
        (kind = 'oidc' AND issuer IS NOT NULL AND client_id IS NOT NULL AND client_secret_sealed IS NOT NULL)
        OR (kind = 'ldap' AND ldap IS NOT NULL))`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DELETE FROM identity_providers WHERE kind <> 'oidc'`);
    await db.query(`ALTER TABLE identity_providers DROP CONSTRAINT identity_providers_kind_check`);
    await db.query(`
      ALTER TABLE identity_providers
        ALTER COLUMN issuer SET NOT NULL,
        ALTER COLUMN client_id SET NOT NULL,
        ALTER COLUMN client_secret_sealed SET NOT NULL`);
    await db.query(`ALTER TABLE identity_providers DROP COLUMN ldap`);
    await db.query(`ALTER TABLE identity_providers DROP COLUMN kind`);
  }
}
