import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Chunk numbers: a KB's inverted index names its chunks by small integers, not by their uuids.
 * `chunk_numbers` holds, per KB, each indexed chunk's number with its id, document and length in
 * terms; `kb_text_stats.chunk_numbers` is how many numbers the KB has handed out (the next one).
 * Postings (`chunk_terms` rows, `chunk_term_packs`) list numbers and frequencies only, and a
 * removal (`chunk_term_removals`) the numbers of the removed document's chunks.
 *
 * A cold search read a frequent term's pack as a document uuid, a chunk uuid and a length per
 * posting, about 80 bytes of text each (903 KB for one question over a 10,000-chunk KB, 17 ms to
 * read in PGlite); a number and a frequency are about 7. The API keeps the numbering per KB and
 * reads only what it has not seen (numbers are handed out under the KB's statistics row lock, so
 * in commit order).
 *
 * `chunk_term_documents` goes: a document is indexed when its chunks are numbered. The existing
 * postings are numbered and packed, every KB's removals folded in on the way.
 */
export class ChunkNumbers1765400000000 implements MigrationInterface {
  name = 'ChunkNumbers1765400000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE chunk_numbers (
        kb_id uuid NOT NULL,
        number integer NOT NULL,
        chunk_id uuid NOT NULL,
        document_id uuid NOT NULL,
        length integer NOT NULL,
        PRIMARY KEY (kb_id, number)
      )`);
    await db.query('CREATE INDEX chunk_numbers_by_document ON chunk_numbers (kb_id, document_id)');
    await db.query('ALTER TABLE kb_text_stats ADD COLUMN chunk_numbers integer NOT NULL DEFAULT 0');

    // Every posting the index holds (a pack's less its removed documents, and the rows), numbered.
    await db.query(`
      CREATE TEMPORARY TABLE migrating_postings AS
      SELECT p.kb_id, p.term, x.document_id, x.chunk_id, x.tf, x.chunk_length
      FROM chunk_term_packs p
        CROSS JOIN LATERAL unnest(p.document_ids, p.chunk_ids, p.tfs, p.chunk_lengths)
          AS x(document_id, chunk_id, tf, chunk_length)
      WHERE NOT EXISTS (
        SELECT 1 FROM chunk_term_removals r
        WHERE r.kb_id = p.kb_id AND r.term = p.term AND r.document_id = x.document_id
      )
      UNION ALL
      SELECT t.kb_id, t.term, t.document_id, x.chunk_id, x.tf, x.chunk_length
      FROM chunk_terms t CROSS JOIN LATERAL unnest(t.chunk_ids, t.tfs, t.chunk_lengths) AS x(chunk_id, tf, chunk_length)`);
    await db.query(`
      INSERT INTO chunk_numbers (kb_id, number, chunk_id, document_id, length)
      SELECT kb_id, (row_number() OVER (PARTITION BY kb_id ORDER BY document_id, chunk_id) - 1)::integer,
        chunk_id, document_id, chunk_length
      FROM (SELECT DISTINCT kb_id, chunk_id, document_id, chunk_length FROM migrating_postings) c`);

    await db.query('DELETE FROM chunk_terms');
    await db.query('DELETE FROM chunk_term_removals');
    await db.query('DELETE FROM chunk_term_packs');
    await db.query(
      'ALTER TABLE chunk_terms DROP COLUMN chunk_ids, DROP COLUMN chunk_lengths, ADD COLUMN chunks integer[] NOT NULL',
    );
    await db.query(`
      ALTER TABLE chunk_term_packs DROP COLUMN document_ids, DROP COLUMN chunk_ids, DROP COLUMN chunk_lengths,
        ADD COLUMN chunks integer[] NOT NULL`);
    await db.query('ALTER TABLE chunk_term_packs ALTER COLUMN chunks SET STATISTICS 0');
    await db.query('ALTER TABLE chunk_term_removals ADD COLUMN chunks integer[] NOT NULL');
    await db.query(`
      INSERT INTO chunk_term_packs (kb_id, term, postings, chunks, tfs)
      SELECT m.kb_id, m.term, count(*)::integer, array_agg(n.number ORDER BY n.number), array_agg(m.tf ORDER BY n.number)
      FROM migrating_postings m JOIN chunk_numbers n ON n.kb_id = m.kb_id AND n.chunk_id = m.chunk_id
      GROUP BY m.kb_id, m.term`);
    await db.query(`
      UPDATE kb_text_stats s SET
        chunk_numbers = (SELECT count(*) FROM chunk_numbers n WHERE n.kb_id = s.kb_id),
        packed_postings = (SELECT coalesce(sum(postings), 0) FROM chunk_term_packs p WHERE p.kb_id = s.kb_id),
        unpacked_rows = 0, unpacked_postings = 0`);
    await db.query('DROP TABLE migrating_postings');
    await db.query('DROP TABLE chunk_term_documents');
    await this.deleteWithKb(db, ['chunk_terms', 'chunk_term_packs', 'chunk_term_removals', 'chunk_numbers']);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE chunk_term_documents (
        kb_id uuid NOT NULL,
        document_id uuid NOT NULL,
        PRIMARY KEY (kb_id, document_id)
      )`);
    await db.query('INSERT INTO chunk_term_documents SELECT DISTINCT kb_id, document_id FROM chunk_numbers');
    // Rows and packs name chunks, documents and lengths again; removals are folded into the packs.
    await db.query('ALTER TABLE chunk_terms ADD COLUMN chunk_ids uuid[], ADD COLUMN chunk_lengths integer[]');
    await db.query(`
      UPDATE chunk_terms t SET (chunk_ids, chunk_lengths) = (
        SELECT array_agg(n.chunk_id ORDER BY u.i), array_agg(n.length ORDER BY u.i)
        FROM unnest(t.chunks) WITH ORDINALITY AS u(number, i)
          JOIN chunk_numbers n ON n.kb_id = t.kb_id AND n.number = u.number
      )`);
    await db.query(`
      ALTER TABLE chunk_terms DROP COLUMN chunks, ALTER COLUMN chunk_ids SET NOT NULL,
        ALTER COLUMN chunk_lengths SET NOT NULL`);
    await db.query(`
      CREATE TEMPORARY TABLE migrating_packs AS
      SELECT p.kb_id, p.term, count(*)::integer AS postings, array_agg(n.document_id) AS document_ids,
        array_agg(n.chunk_id) AS chunk_ids, array_agg(x.tf) AS tfs, array_agg(n.length) AS chunk_lengths
      FROM chunk_term_packs p
        CROSS JOIN LATERAL unnest(p.chunks, p.tfs) AS x(number, tf)
        JOIN chunk_numbers n ON n.kb_id = p.kb_id AND n.number = x.number
      WHERE NOT EXISTS (
        SELECT 1 FROM chunk_term_removals r WHERE r.kb_id = p.kb_id AND r.term = p.term AND x.number = ANY(r.chunks)
      )
      GROUP BY p.kb_id, p.term`);
    await db.query('DELETE FROM chunk_term_packs');
    await db.query('DELETE FROM chunk_term_removals');
    await db.query('ALTER TABLE chunk_term_removals DROP COLUMN chunks');
    await db.query(`
      ALTER TABLE chunk_term_packs DROP COLUMN chunks, ADD COLUMN document_ids uuid[] NOT NULL,
        ADD COLUMN chunk_ids uuid[] NOT NULL, ADD COLUMN chunk_lengths integer[] NOT NULL`);
    await db.query(`
      INSERT INTO chunk_term_packs (kb_id, term, postings, document_ids, chunk_ids, tfs, chunk_lengths)
      SELECT kb_id, term, postings, document_ids, chunk_ids, tfs, chunk_lengths FROM migrating_packs`);
    await db.query('DROP TABLE migrating_packs');
    await db.query(`
      UPDATE kb_text_stats s SET
        packed_postings = (SELECT coalesce(sum(postings), 0) FROM chunk_term_packs p WHERE p.kb_id = s.kb_id),
        unpacked_rows = (SELECT count(*) FROM chunk_terms t WHERE t.kb_id = s.kb_id),
        unpacked_postings = (
          SELECT coalesce(sum(cardinality(t.chunk_ids)), 0) FROM chunk_terms t WHERE t.kb_id = s.kb_id
        )`);
    await db.query('ALTER TABLE kb_text_stats DROP COLUMN chunk_numbers');
    await db.query('DROP TABLE chunk_numbers');
    await this.deleteWithKb(db, [
      'chunk_terms',
      'chunk_term_packs',
      'chunk_term_removals',
      'chunk_term_documents',
    ]);
  }

  /** A deleted KB's rows of these tables go with it (see PostingsCascadeByStatement). */
  private async deleteWithKb(db: QueryRunner, tables: string[]): Promise<void> {
    const deletes = tables.map((table) => `DELETE FROM ${table} t USING deleted_kbs k WHERE t.kb_id = k.id;`);
    await db.query(`
      CREATE OR REPLACE FUNCTION strata_delete_kb_postings() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        ${deletes.join('\n        ')}
        RETURN NULL;
      END $$`);
  }
}
