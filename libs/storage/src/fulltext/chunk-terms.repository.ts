import type { KbScope } from '@strata/tenancy';
import type { SqlRunner } from '../relational/sql-runner';

/**
 * Adds a document's chunks to the KB's inverted index, in one statement: numbers its chunks that
 * hold a term (`chunk_numbers`, from the KB's `kb_text_stats.chunk_numbers`, in the chunks' order),
 * writes a row per term listing the numbers of the document's chunks holding it with their term
 * frequencies (`chunk_terms`), and adds the document's counts to the KB's statistics (moving its
 * version on, and counting the rows that wait to be packed, see packTermsWhenDue). The terms are
 * the lexemes of each chunk's stored `tsv`, so removal finds exactly the rows this added. The
 * statistics row it updates stays locked until its transaction commits, so a KB's numbers are
 * handed out in commit order (a search that sees a number sees every smaller one not removed
 * since, which lets the API read only numbers it has not seen).
 *
 * Each chunk's `tsv` is unnested once, into postings that carry the chunk's place among the
 * document's chunks holding a term (a chunk holds one when its `tsv` is not empty); a chunk's
 * length in terms (the positions of all its lexemes; stop words are not counted) is the sum of
 * its postings' frequencies, and its number is the KB's next one plus its place, with no join.
 * Unnesting each `tsv` a second time for the lengths cost a sixth of the statement. The
 * document's words are counted by grouping, which hashes: `count(DISTINCT lexeme)` sorted them.
 * The postings are sorted once, by term and chunk, and aggregated in that order: with an
 * `ORDER BY` inside each `array_agg` PostgreSQL 15 sorted every term's group once per aggregate
 * (30% longer). The arrays stay parallel either way: they aggregate the same rows.
 */
export async function indexDocumentTerms(sql: SqlRunner, scope: KbScope, documentId: string): Promise<void> {
  await sql.query(
    `WITH posting AS MATERIALIZED (
       SELECT c.id, c.place, u.lexeme, coalesce(array_length(u.positions, 1), 1) AS tf
       FROM (
         SELECT c.id, c.tsv, (count(*) FILTER (WHERE length(c.tsv) > 0) OVER (ORDER BY c.ordinal) - 1)::integer AS place
         FROM chunks c WHERE c.tenant_id = $1 AND c.kb_id = $2 AND c.document_id = $3
       ) c CROSS JOIN LATERAL unnest(c.tsv) u
     ),
     chunk AS MATERIALIZED (
       SELECT id, place, sum(tf)::integer AS total FROM posting GROUP BY id, place
     ),
     counts AS (
       SELECT (SELECT count(*) FROM chunk) AS chunks, (SELECT coalesce(sum(total), 0) FROM chunk) AS terms,
         (SELECT count(*) FROM posting) AS postings,
         (SELECT count(*) FROM (SELECT lexeme FROM posting GROUP BY lexeme) w) AS rows
     ),
     stats AS (
       INSERT INTO kb_text_stats AS s
         (kb_id, tenant_id, chunk_count, term_count, unpacked_rows, unpacked_postings, chunk_numbers)
       SELECT $2, $1, chunks, terms, rows, postings, chunks FROM counts
       ON CONFLICT (kb_id) DO UPDATE
         SET chunk_count = s.chunk_count + excluded.chunk_count, term_count = s.term_count + excluded.term_count,
           unpacked_rows = s.unpacked_rows + excluded.unpacked_rows,
           unpacked_postings = s.unpacked_postings + excluded.unpacked_postings,
           chunk_numbers = s.chunk_numbers + excluded.chunk_numbers, version = s.version + 1
       RETURNING s.chunk_numbers AS next
     ),
     base AS (SELECT (stats.next - counts.chunks)::integer AS first FROM stats, counts),
     numbering AS (
       INSERT INTO chunk_numbers (kb_id, number, chunk_id, document_id, length)
       SELECT $2, base.first + c.place, c.id, $3, c.total FROM chunk c, base
     )
     INSERT INTO chunk_terms (kb_id, term, document_id, chunks, tfs)
     SELECT $2, p.lexeme, $3, array_agg(p.number), array_agg(p.tf)
     FROM (
       SELECT p.lexeme, base.first + p.place AS number, p.tf FROM posting p, base ORDER BY p.lexeme, p.place
     ) p
     GROUP BY p.lexeme`,
    [scope.tenantId, scope.kbId, documentId],
  );
}

/**
 * Removes a document's postings from the KB's inverted index and its counts from the statistics,
 * before its chunks are deleted (the chunks' `tsv` says which terms are theirs); in the
 * transaction that deletes the chunks. Its chunk numbers go; a term whose row is no longer in
 * `chunk_terms` was packed: the numbers of the document's chunks are recorded as removed from that
 * term's pack (searches leave them out, the next packing drops them). Only a document whose chunks
 * were numbered is removed: one whose chunks went in without their postings (a crash in between)
 * leaves the index and counts as they are.
 */
export async function unindexDocumentTerms(
  sql: SqlRunner,
  scope: KbScope,
  documentId: string,
): Promise<void> {
  await sql.query(
    `WITH numbered AS (
       DELETE FROM chunk_numbers WHERE kb_id = $2 AND document_id = $3 RETURNING number, length
     ),
     term AS (
       SELECT DISTINCT u.lexeme FROM chunks c CROSS JOIN LATERAL unnest(c.tsv) u
       WHERE c.tenant_id = $1 AND c.kb_id = $2 AND c.document_id = $3 AND EXISTS (SELECT 1 FROM numbered)
     ),
     removed AS (
       DELETE FROM chunk_terms t USING term x
       WHERE t.kb_id = $2 AND t.term = x.lexeme AND t.document_id = $3
       RETURNING t.term, cardinality(t.chunks) AS postings
     ),
     packed AS (
       INSERT INTO chunk_term_removals (kb_id, term, document_id, chunks)
       SELECT $2, x.lexeme, $3, (SELECT array_agg(number) FROM numbered)
       FROM term x WHERE NOT EXISTS (SELECT 1 FROM removed r WHERE r.term = x.lexeme)
       ON CONFLICT DO NOTHING
       RETURNING 1
     )
     UPDATE kb_text_stats s
     SET chunk_count = s.chunk_count - (SELECT count(*) FROM numbered),
       term_count = s.term_count - (SELECT coalesce(sum(length), 0) FROM numbered),
       unpacked_rows = s.unpacked_rows - (SELECT count(*) FROM removed) + (SELECT count(*) FROM packed),
       unpacked_postings = s.unpacked_postings - (SELECT coalesce(sum(postings), 0) FROM removed),
       version = s.version + 1
     WHERE s.kb_id = $2 AND s.tenant_id = $1 AND EXISTS (SELECT 1 FROM numbered)`,
    [scope.tenantId, scope.kbId, documentId],
  );
}
