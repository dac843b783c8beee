import type { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** Applies pending migrations (opening the database does) and lists what the schema holds. */
export async function migrateCommand(app: INestApplicationContext): Promise<string> {
  const rows: Array<{ name: string }> = await app
    .get(DataSource)
    .query('SELECT name FROM schema_migrations ORDER BY timestamp');
  return [`schema is up to date (${rows.length} migrations):`, ...rows.map((r) => `  ${r.name}`)].join('\n');
}
