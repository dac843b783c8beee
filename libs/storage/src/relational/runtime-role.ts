import type { DataSource } from 'typeorm';

/**
 * What the role the api and worker connect as (DATABASE_URL's, when `migrate` runs as the schema
 * owner with MIGRATION_DATABASE_URL) may do: read and write every table, except that the audit
 * trail takes only INSERT and SELECT, and the migrations list only SELECT. Not owning the tables,
 * it cannot alter them, nor disable the audit trail's append-only trigger. Applied on every
 * `migrate`, so tables added since are covered.
 */
export async function grantRuntimeRole(dataSource: DataSource, role: string): Promise<void> {
  const grantee = quoteIdentifier(role);
  await dataSource.transaction(async (manager) => {
    await manager.query(`GRANT USAGE ON SCHEMA public TO ${grantee}`);
    await manager.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${grantee}`);
    await manager.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${grantee}`);
    await manager.query(`REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM ${grantee}`);
    await manager.query(`REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON schema_migrations FROM ${grantee}`);
  });
}

/** The user a connection string names; null when it names none (the driver's default applies). */
export function roleOfUrl(url: string): string | null {
  const user = new URL(url).username;
  return user === '' ? null : decodeURIComponent(user);
}

const quoteIdentifier = (name: string) => `"${name.replace(/"/g, '""')}"`;
