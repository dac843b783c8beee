import { DataSource } from 'typeorm';
import { appliedMigrations, grantRuntimeRole, roleOfUrl, VectorStore } from '@strata/storage';
import type { CliSession } from '../cli-session';

/**
 * Applies pending migrations (opening the database does) and prepares the vector store's tables,
 * as the schema owner when MIGRATION_DATABASE_URL names one; then grants DATABASE_URL's role what
 * the api and worker need (see grantRuntimeRole) and lists what the schema holds.
 */
export async function migrateCommand(session: CliSession): Promise<string> {
  const owner = session.asSchemaOwner();
  try {
    const dataSource = await owner.get(DataSource);
    await (await owner.get(VectorStore)).prepare();
    const lines: string[] = [];
    const database = session.fileConfig().database;
    if (owner !== session && database.kind === 'postgres') {
      const runtime = roleOfUrl(database.url);
      const migrator = roleOfUrl(database.migrationUrl!);
      if (runtime === null) {
        lines.push(
          "DATABASE_URL names no user: grant the api's role its rights yourself (see docs/operations.md)",
        );
      } else if (runtime !== migrator) {
        await grantRuntimeRole(dataSource, runtime);
        lines.push(`granted ${runtime} what the api and worker need (audit_events: INSERT and SELECT only)`);
      }
    }
    const applied = await appliedMigrations(dataSource);
    return [
      ...lines,
      `schema is up to date (${applied.length} migrations):`,
      ...applied.map((name) => `  ${name}`),
    ].join('\n');
  } finally {
    if (owner !== session) await owner.close();
  }
}
