import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Per-tenant single sign-on: `tenants.sso_required` keeps sessions started with a password out
 * of the tenant (platform admins excepted); `sessions.sign_in_method` says how each session
 * started (`password`, `oidc`, `ldap`; earlier sessions were all password ones). The tenants
 * access-change trigger now watches `sso_required` too, so replicas' caches forget a tenant whose
 * requirement changed.
 */
export class TenantSsoRequired1766100000000 implements MigrationInterface {
  name = 'TenantSsoRequired1766100000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE sessions ADD COLUMN sign_in_method text NOT NULL DEFAULT 'password'`);
    await db.query(`ALTER TABLE tenants ADD COLUMN sso_required boolean NOT NULL DEFAULT false`);
    await this.watch(db, ['slug', 'name', 'status', 'quotas', 'sso_required']);
  }

  async down(db: QueryRunner): Promise<void> {
    await this.watch(db, ['slug', 'name', 'status', 'quotas']);
    await db.query(`ALTER TABLE tenants DROP COLUMN sso_required`);
    await db.query(`ALTER TABLE sessions DROP COLUMN sign_in_method`);
  }

  private async watch(db: QueryRunner, columns: string[]): Promise<void> {
    await db.query(`DROP TRIGGER tenants_access_changed ON tenants`);
    await db.query(
      `CREATE TRIGGER tenants_access_changed
       AFTER UPDATE OF ${columns.join(', ')} OR DELETE ON tenants
       FOR EACH ROW EXECUTE FUNCTION strata_access_changed('tenant', 'id')`,
    );
  }
}
