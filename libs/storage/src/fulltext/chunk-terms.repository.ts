import type { KbScope } from '@strata/tenancy';
import type { SqlRunner } from '../relational/sql-runner';

/**
 * The document's chunks, each with its length in terms (the positions of all its lexemes; stop
 * words are not counted), computed once per chunk: as a lateral subquery beside `unnest(tsv)` the
 * planner evaluated it once per term. Parameters: $1 tenant, $2 KB, $3 document.
 */
const DOCUMENT_CHUNKS = `chunk AS MATERIALIZED (
  SELECT c.id, c.kb_id, c.document_id, c.ordinal, c.tsv,
    (SELECT coalesce(sum(coalesce(array_length(positions, 1), 1)), 0)::integer FROM unnest(c.tsv)) AS total
  FROM chunks c WHERE c.tenant_id = $1 AND c.kb_id = $2 AND c.document_id = $3
)`;

/** What the document adds to its KB's statistics: chunks with at least one term, and terms. */
const DOCUMENT_COUNTS = `(SELECT count(*) FILTER (WHERE total > 0) AS chunks, coalesce(sum(total), 0) AS terms FROM chunk)`;

/**
 * Adds a document's chunks to the KB's inverted index (`chunk_terms`: per term, the document's
 * chunks holding it with their term frequencies and lengths) and their counts to the KB's text
 * statistics (moving its version on, and counting the rows that wait to be packed, see
 * packTermsWhenDue), in one statement. The terms are the lexemes of each chunk's stored `tsv`, so
 * removal finds exactly the rows this added. Call it in the transaction that inserted the chunks.
 *
 * The postings are sorted once, by term and chunk, and aggregated in that order: with an
 * `ORDER BY` inside each of the three `array_agg`s PostgreSQL 15 sorted every term's group three
 * times, and the statement took 30% longer on the server and in PGlite (1,541 terms of a 44-chunk
 * document). The three arrays stay parallel either way: they aggregate the same rows in one pass.
 */
export async function indexDocumentTerms(sql: SqlRunner, scope: KbScope, documentId: string): Promise<void> {
  await sql.query(
    `WITH ${DOCUMENT_CHUNKS},
     added AS (
       INSERT INTO chunk_terms (kb_id, term, document_id, chunk_ids, tfs, chunk_lengths)
       SELECT $2, p.lexeme, $3, array_agg(p.id), array_agg(p.tf), array_agg(p.total)
       FROM (
         SELECT u.lexeme, c.id, coalesce(array_length(u.positions, 1), 1) AS tf, c.total
         FROM chunk c CROSS JOIN LATERAL unnest(c.tsv) u
         ORDER BY u.lexeme, c.ordinal
       ) p
       GROUP BY p.lexeme
       RETURNING cardinality(chunk_ids) AS postings
     ),
     indexed AS (INSERT INTO chunk_term_documents (kb_id, document_id) VALUES ($2, $3))
     INSERT INTO kb_text_stats AS s (kb_id, tenant_id, chunk_count, term_count, unpacked_rows, unpacked_postings)
     SELECT $2, $1, counts.chunks, counts.terms, a.rows, a.postings
     FROM ${DOCUMENT_COUNTS} counts, (SELECT count(*) AS rows, coalesce(sum(postings), 0) AS postings FROM added) a
     ON CONFLICT (kb_id) DO UPDATE
       SET chunk_count = s.chunk_count + excluded.chunk_count, term_count = s.term_count + excluded.term_count,
         unpacked_rows = s.unpacked_rows + excluded.unpacked_rows,
         unpacked_postings = s.unpacked_postings + excluded.unpacked_postings, version = s.version + 1`,
    [scope.tenantId, scope.kbId, documentId],
  );
}

/**
 * Removes a document's postings from the KB's inverted index and its counts from the statistics,
 * before its chunks are deleted (the chunks' `tsv` says which terms are theirs); in the
 * transaction that deletes the chunks. A term whose row is no longer in `chunk_terms` was packed:
 * the document is recorded as removed from that term's pack (searches leave it out, the next
 * packing drops it). Only a document indexed (`chunk_term_documents`) is removed: one whose chunks
 * went in without their postings (a crash in between) leaves the index and counts as they are.
 */
export async function unindexDocumentTerms(
  sql: SqlRunner,
  scope: KbScope,
  documentId: string,
): Promise<void> {
  await sql.query(
    `WITH ${DOCUMENT_CHUNKS},
     indexed AS (DELETE FROM chunk_term_documents WHERE kb_id = $2 AND document_id = $3 RETURNING 1),
     term AS (
       SELECT DISTINCT u.lexeme FROM chunk c CROSS JOIN LATERAL unnest(c.tsv) u WHERE EXISTS (SELECT 1 FROM indexed)
     ),
     removed AS (
       DELETE FROM chunk_terms t USING term x
       WHERE t.kb_id = $2 AND t.term = x.lexeme AND t.document_id = $3
       RETURNING t.term, cardinality(t.chunk_ids) AS postings
     ),
     packed AS (
       INSERT INTO chunk_term_removals (kb_id, term, document_id)
       SELECT $2, x.lexeme, $3 FROM term x WHERE NOT EXISTS (SELECT 1 FROM removed r WHERE r.term = x.lexeme)
       ON CONFLICT DO NOTHING
       RETURNING 1
     )
     UPDATE kb_text_stats s
     SET chunk_count = s.chunk_count - counts.chunks, term_count = s.term_count - counts.terms,
       unpacked_rows = s.unpacked_rows - (SELECT count(*) FROM removed) + (SELECT count(*) FROM packed),
       unpacked_postings = s.unpacked_postings - (SELECT coalesce(sum(postings), 0) FROM removed),
       version = s.version + 1
     FROM ${DOCUMENT_COUNTS} counts
     WHERE s.kb_id = $2 AND s.tenant_id = $1 AND EXISTS (SELECT 1 FROM indexed)`,
    [scope.tenantId, scope.kbId, documentId],
  );
}
