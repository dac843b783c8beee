import { DataSource } from 'typeorm';
import type { CliSession } from '../cli-session';

/** Applies pending migrations (opening the database does) and lists what the schema holds. */
export async function migrateCommand(session: CliSession): Promise<string> {
  const rows: Array<{ name: string }> = await (
    await session.get(DataSource)
  ).query('SELECT name FROM schema_migrations ORDER BY timestamp');
  return [`schema is up to date (${rows.length} migrations):`, ...rows.map((r) => `  ${r.name}`)].join('\n');
}
