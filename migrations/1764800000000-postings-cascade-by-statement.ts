import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `chunk_terms` loses its foreign key to `knowledge_bases`; a statement-level trigger on
 * `knowledge_bases` removes a deleted KB's postings instead (a tenant's deletion reaches it through
 * the cascade to its KBs). The key checked the KB for every posting inserted: in PGlite 4,000
 * postings took 44 ms with it and 18 ms without, and one document's postings statement held the
 * embedded database's only connection for 50-110 ms, the longest wait a request met during a bulk
 * ingest.
 *
 * Nothing is lost by it: postings are only written by the statement that also adds the document's
 * counts to `kb_text_stats`, whose own key (or row lock) orders it against a concurrent deletion
 * of the KB, and they are derived from the KB's chunks in that same statement.
 */
export class PostingsCascadeByStatement1764800000000 implements MigrationInterface {
  name = 'PostingsCascadeByStatement1764800000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE chunk_terms DROP CONSTRAINT chunk_terms_kb_id_fkey');
    await db.query(`
      CREATE FUNCTION strata_delete_kb_postings() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM chunk_terms t USING deleted_kbs k WHERE t.kb_id = k.id;
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER knowledge_bases_delete_postings AFTER DELETE ON knowledge_bases
      REFERENCING OLD TABLE AS deleted_kbs
      FOR EACH STATEMENT EXECUTE FUNCTION strata_delete_kb_postings()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TRIGGER knowledge_bases_delete_postings ON knowledge_bases');
    await db.query('DROP FUNCTION strata_delete_kb_postings()');
    await db.query(
      'DELETE FROM chunk_terms t WHERE NOT EXISTS (SELECT 1 FROM knowledge_bases k WHERE k.id = t.kb_id)',
    );
    await db.query(
      'ALTER TABLE chunk_terms ADD CONSTRAINT chunk_terms_kb_id_fkey FOREIGN KEY (kb_id) REFERENCES knowledge_bases (id) ON DELETE CASCADE',
    );
  }
}
