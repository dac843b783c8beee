import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The KB's inverted index packs a document's postings of a term into one row: the chunks of that
 * document holding the term, with their term frequencies and lengths, as parallel arrays. One row
 * per (term, chunk) cost 5 ms per chunk to write in embedded PGlite (about 370 rows per
 * 1,200-token chunk); a document of 40 such chunks has about 5x fewer distinct terms than
 * postings. A document's rows are replaced whole, never updated, so arrays do not grow in place.
 */
export class ChunkTermsByDocument1764600100000 implements MigrationInterface {
  name = 'ChunkTermsByDocument1764600100000';

  async up(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE chunk_terms');
    await db.query(`
      CREATE TABLE chunk_terms (
        kb_id uuid NOT NULL REFERENCES knowledge_bases (id) ON DELETE CASCADE,
        term text NOT NULL,
        document_id uuid NOT NULL,
        chunk_ids uuid[] NOT NULL,
        tfs integer[] NOT NULL,
        chunk_lengths integer[] NOT NULL,
        PRIMARY KEY (kb_id, term, document_id)
      )`);
    await db.query(`
      WITH chunk AS MATERIALIZED (
        SELECT c.id, c.kb_id, c.document_id, c.ordinal, c.tsv,
          (SELECT coalesce(sum(coalesce(array_length(positions, 1), 1)), 0)::integer FROM unnest(c.tsv)) AS total
        FROM chunks c
      )
      INSERT INTO chunk_terms (kb_id, term, document_id, chunk_ids, tfs, chunk_lengths)
      SELECT c.kb_id, u.lexeme, c.document_id, array_agg(c.id ORDER BY c.ordinal),
        array_agg(coalesce(array_length(u.positions, 1), 1) ORDER BY c.ordinal),
        array_agg(c.total ORDER BY c.ordinal)
      FROM chunk c CROSS JOIN LATERAL unnest(c.tsv) u
      GROUP BY c.kb_id, u.lexeme, c.document_id`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE chunk_terms');
    await db.query(`
      CREATE TABLE chunk_terms (
        kb_id uuid NOT NULL REFERENCES knowledge_bases (id) ON DELETE CASCADE,
        term text NOT NULL,
        chunk_id uuid NOT NULL,
        tf integer NOT NULL,
        chunk_length integer NOT NULL,
        PRIMARY KEY (kb_id, term, chunk_id) INCLUDE (tf, chunk_length)
      )`);
    await db.query(`
      INSERT INTO chunk_terms (kb_id, term, chunk_id, tf, chunk_length)
      SELECT c.kb_id, u.lexeme, c.id, coalesce(array_length(u.positions, 1), 1), l.total
      FROM chunks c
        CROSS JOIN LATERAL (
          SELECT sum(coalesce(array_length(positions, 1), 1))::integer AS total FROM unnest(c.tsv)
        ) l
        CROSS JOIN LATERAL unnest(c.tsv) u`);
  }
}
