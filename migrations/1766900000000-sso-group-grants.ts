import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Identity-provider rules may put people in groups: group_members.granted_by_provider marks the
 * group memberships a provider's rules made. Those (and only those) follow the person's claims at
 * each sign-in; one an admin made stays whatever the claims say. A provider deleted leaves the
 * memberships it made, as it leaves tenant memberships (they become an admin's to change).
 */
export class SsoGroupGrants1766900000000 implements MigrationInterface {
  name = 'SsoGroupGrants1766900000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE group_members ADD COLUMN granted_by_provider uuid
        REFERENCES identity_providers (id) ON DELETE SET NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE group_members DROP COLUMN granted_by_provider');
  }
}
