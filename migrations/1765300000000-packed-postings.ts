import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Packed postings: a KB's inverted index gets a second tier, `chunk_term_packs`, one row per term
 * listing every chunk that holds it (parallel arrays of documents, chunks, frequencies and
 * lengths). Documents still add their postings to `chunk_terms` (one row per term and document,
 * cheap to write and to remove); once a KB's unpacked rows pass a quarter of its packed postings
 * they are folded into the packs (see packTermsWhenDue). Reading a frequent term cost 5-10 µs a
 * row in PGlite when each of its thousands of documents was a row; a pack reads at under 1 µs a
 * posting.
 *
 * `chunk_term_documents` names the documents whose postings are in the index (rows or packs), so
 * removing one takes its counts out once. `chunk_term_removals` holds, per term, the documents removed while their postings were packed:
 * searches leave them out of the pack until the next packing drops them from it.
 * `kb_text_stats` counts what waits to be packed (`unpacked_rows`: rows of `chunk_terms` and
 * `chunk_term_removals`; `unpacked_postings`: the chunks those rows of `chunk_terms` list) against
 * what is packed (`packed_postings`).
 */
export class PackedPostings1765300000000 implements MigrationInterface {
  name = 'PackedPostings1765300000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE chunk_term_packs (
        kb_id uuid NOT NULL,
        term text NOT NULL,
        postings integer NOT NULL,
        document_ids uuid[] NOT NULL,
        chunk_ids uuid[] NOT NULL,
        tfs integer[] NOT NULL,
        chunk_lengths integer[] NOT NULL,
        PRIMARY KEY (kb_id, term)
      )`);
    await db.query(
      `ALTER TABLE chunk_term_packs ALTER COLUMN document_ids SET STATISTICS 0,
         ALTER COLUMN chunk_ids SET STATISTICS 0, ALTER COLUMN tfs SET STATISTICS 0,
         ALTER COLUMN chunk_lengths SET STATISTICS 0`,
    );
    await db.query(`
      CREATE TABLE chunk_term_removals (
        kb_id uuid NOT NULL,
        term text NOT NULL,
        document_id uuid NOT NULL,
        PRIMARY KEY (kb_id, term, document_id)
      )`);
    await db.query(`
      CREATE TABLE chunk_term_documents (
        kb_id uuid NOT NULL,
        document_id uuid NOT NULL,
        PRIMARY KEY (kb_id, document_id)
      )`);
    await db.query('INSERT INTO chunk_term_documents SELECT DISTINCT kb_id, document_id FROM chunk_terms');
    await db.query(`
      ALTER TABLE kb_text_stats
        ADD COLUMN unpacked_rows bigint NOT NULL DEFAULT 0,
        ADD COLUMN unpacked_postings bigint NOT NULL DEFAULT 0,
        ADD COLUMN packed_postings bigint NOT NULL DEFAULT 0`);
    await db.query(
      `UPDATE kb_text_stats s SET (unpacked_rows, unpacked_postings) = (
         SELECT count(*), coalesce(sum(cardinality(t.chunk_ids)), 0) FROM chunk_terms t WHERE t.kb_id = s.kb_id
       )`,
    );
    // A deleted KB's packs and removals go with its postings (see PostingsCascadeByStatement).
    await db.query(`
      CREATE OR REPLACE FUNCTION strata_delete_kb_postings() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM chunk_terms t USING deleted_kbs k WHERE t.kb_id = k.id;
        DELETE FROM chunk_term_packs t USING deleted_kbs k WHERE t.kb_id = k.id;
        DELETE FROM chunk_term_removals t USING deleted_kbs k WHERE t.kb_id = k.id;
        DELETE FROM chunk_term_documents t USING deleted_kbs k WHERE t.kb_id = k.id;
        RETURN NULL;
      END $$`);
  }

  async down(db: QueryRunner): Promise<void> {
    // Packed postings go back to rows per term and document before the packs go.
    await db.query(`
      INSERT INTO chunk_terms (kb_id, term, document_id, chunk_ids, tfs, chunk_lengths)
      SELECT p.kb_id, p.term, x.document_id, array_agg(x.chunk_id), array_agg(x.tf), array_agg(x.chunk_length)
      FROM chunk_term_packs p
        CROSS JOIN LATERAL unnest(p.document_ids, p.chunk_ids, p.tfs, p.chunk_lengths)
          AS x(document_id, chunk_id, tf, chunk_length)
      WHERE NOT EXISTS (
        SELECT 1 FROM chunk_term_removals r
        WHERE r.kb_id = p.kb_id AND r.term = p.term AND r.document_id = x.document_id
      )
      GROUP BY p.kb_id, p.term, x.document_id`);
    await db.query(`
      CREATE OR REPLACE FUNCTION strata_delete_kb_postings() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM chunk_terms t USING deleted_kbs k WHERE t.kb_id = k.id;
        RETURN NULL;
      END $$`);
    await db.query(
      'ALTER TABLE kb_text_stats DROP COLUMN unpacked_rows, DROP COLUMN unpacked_postings, DROP COLUMN packed_postings',
    );
    await db.query('DROP TABLE chunk_term_documents');
    await db.query('DROP TABLE chunk_term_removals');
    await db.query('DROP TABLE chunk_term_packs');
  }
}
