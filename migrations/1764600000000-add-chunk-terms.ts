import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Full text ranked by BM25 within one KB. `chunk_terms` is the KB's inverted index: one posting
 * per (term, chunk) with the term's frequency in the chunk and the chunk's length in terms, both
 * taken from the chunk's `tsv`; a term's document frequency is the number of its postings.
 * `kb_text_stats` holds the chunk count and total length each KB's average is computed from.
 * Both are keyed by KB first, so a KB's search reads only its own rows and a KB's deletion
 * cascades through the key; postings carry no tenant id (the KB's stats row does, and a search
 * reads postings only through it), which keeps the covering index small. The GIN index over every tenant's `tsv` goes: nothing searches it.
 */
export class AddChunkTerms1764600000000 implements MigrationInterface {
  name = 'AddChunkTerms1764600000000';

  async up(db: QueryRunner): Promise<void> {
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
      CREATE TABLE kb_text_stats (
        kb_id uuid PRIMARY KEY REFERENCES knowledge_bases (id) ON DELETE CASCADE,
        tenant_id uuid NOT NULL,
        chunk_count bigint NOT NULL,
        term_count bigint NOT NULL
      )`);
    await db.query(`
      INSERT INTO chunk_terms (kb_id, term, chunk_id, tf, chunk_length)
      SELECT c.kb_id, u.lexeme, c.id, coalesce(array_length(u.positions, 1), 1), l.total
      FROM chunks c
        CROSS JOIN LATERAL (
          SELECT sum(coalesce(array_length(positions, 1), 1))::integer AS total FROM unnest(c.tsv)
        ) l
        CROSS JOIN LATERAL unnest(c.tsv) u`);
    await db.query(`
      INSERT INTO kb_text_stats (kb_id, tenant_id, chunk_count, term_count)
      SELECT t.kb_id, k.tenant_id, count(DISTINCT t.chunk_id), sum(t.tf)
      FROM chunk_terms t JOIN knowledge_bases k ON k.id = t.kb_id
      GROUP BY t.kb_id, k.tenant_id`);
    await db.query('DROP INDEX chunks_tsv_idx');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('CREATE INDEX chunks_tsv_idx ON chunks USING gin (tsv)');
    await db.query('DROP TABLE kb_text_stats');
    await db.query('DROP TABLE chunk_terms');
  }
}
