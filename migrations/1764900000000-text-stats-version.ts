import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `kb_text_stats.version` moves on whenever a document's postings are added to or removed from
 * the KB's inverted index (in the statement that changes the counts), so a search can tell
 * whether postings it read before are still the KB's: the API keeps them in memory between
 * searches (see PostingsCache) and reads only what changed.
 */
export class TextStatsVersion1764900000000 implements MigrationInterface {
  name = 'TextStatsVersion1764900000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE kb_text_stats ADD COLUMN version bigint NOT NULL DEFAULT 0');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE kb_text_stats DROP COLUMN version');
  }
}
