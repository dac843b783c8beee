import type { KbScope } from '@strata/tenancy';

/** Runs SQL in the caller's transaction: a TypeORM EntityManager or DataSource, or a SqlClient. */
export interface SqlRunner {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

/** A chunk's length in terms: the positions of all its lexemes (stop words are not counted). */
const CHUNK_LENGTH = `(SELECT coalesce(sum(coalesce(array_length(positions, 1), 1)), 0)::integer FROM unnest(c.tsv))`;
const DOCUMENT_CHUNKS = 'c.tenant_id = $1 AND c.kb_id = $2 AND c.document_id = $3';

/**
 * Adds a document's chunks to the KB's inverted index (`chunk_terms`: per term, the document's
 * chunks holding it with their term frequencies and lengths) and their counts to the KB's text
 * statistics. The terms are the lexemes of each chunk's stored `tsv`, so removal finds exactly
 * the rows this added. Call it in the transaction that inserted the chunks.
 */
export async function indexDocumentTerms(sql: SqlRunner, scope: KbScope, documentId: string): Promise<void> {
  const params = [scope.tenantId, scope.kbId, documentId];
  await sql.query(
    // Lengths first, once per chunk: as a lateral subquery the planner evaluated it per term.
    `WITH chunk AS MATERIALIZED (
       SELECT c.id, c.kb_id, c.document_id, c.ordinal, c.tsv, ${CHUNK_LENGTH} AS total
       FROM chunks c WHERE ${DOCUMENT_CHUNKS}
     )
     INSERT INTO chunk_terms (kb_id, term, document_id, chunk_ids, tfs, chunk_lengths)
     SELECT c.kb_id, u.lexeme, c.document_id, array_agg(c.id ORDER BY c.ordinal),
       array_agg(coalesce(array_length(u.positions, 1), 1) ORDER BY c.ordinal),
       array_agg(c.total ORDER BY c.ordinal)
     FROM chunk c CROSS JOIN LATERAL unnest(c.tsv) u
     GROUP BY c.kb_id, u.lexeme, c.document_id`,
    params,
  );
  await sql.query(
    `INSERT INTO kb_text_stats AS s (kb_id, tenant_id, chunk_count, term_count)
     SELECT $2, $1, count(*) FILTER (WHERE l.total > 0), coalesce(sum(l.total), 0)
     FROM chunks c CROSS JOIN LATERAL (SELECT ${CHUNK_LENGTH} AS total) l
     WHERE ${DOCUMENT_CHUNKS}
     ON CONFLICT (kb_id) DO UPDATE
       SET chunk_count = s.chunk_count + excluded.chunk_count, term_count = s.term_count + excluded.term_count`,
    params,
  );
}

/**
 * Removes a document's rows from the KB's inverted index and its counts from the statistics,
 * before its chunks are deleted (the chunks' `tsv` says which terms are theirs); in the
 * transaction that deletes the chunks. Counts change only when there were rows to remove.
 */
export async function unindexDocumentTerms(
  sql: SqlRunner,
  scope: KbScope,
  documentId: string,
): Promise<void> {
  await sql.query(
    `WITH removed AS (
       DELETE FROM chunk_terms t
       USING (SELECT DISTINCT u.lexeme FROM chunks c CROSS JOIN LATERAL unnest(c.tsv) u WHERE ${DOCUMENT_CHUNKS}) x
       WHERE t.kb_id = $2 AND t.term = x.lexeme AND t.document_id = $3
       RETURNING 1
     ),
     counts AS (
       SELECT count(*) FILTER (WHERE l.total > 0) AS chunks, coalesce(sum(l.total), 0) AS terms
       FROM chunks c CROSS JOIN LATERAL (SELECT ${CHUNK_LENGTH} AS total) l
       WHERE ${DOCUMENT_CHUNKS}
     )
     UPDATE kb_text_stats s
     SET chunk_count = s.chunk_count - counts.chunks, term_count = s.term_count - counts.terms
     FROM counts
     WHERE s.kb_id = $2 AND s.tenant_id = $1 AND EXISTS (SELECT 1 FROM removed)`,
    [scope.tenantId, scope.kbId, documentId],
  );
}
