import type { KbScope } from '@strata/tenancy';

/** Runs SQL in the caller's transaction: a TypeORM EntityManager or DataSource, or a SqlClient. */
export interface SqlRunner {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

/**
 * Adds a document's chunks to the KB's inverted index (`chunk_terms`) and their counts to the KB's
 * text statistics. The terms are the lexemes of each chunk's stored `tsv`, so removal finds
 * exactly the postings this added. Call it in the transaction that inserted the chunks.
 */
export async function indexDocumentTerms(sql: SqlRunner, scope: KbScope, documentId: string): Promise<void> {
  await sql.query(
    `WITH added AS (
       INSERT INTO chunk_terms (kb_id, term, chunk_id, tf, chunk_length)
       SELECT c.kb_id, u.lexeme, c.id, coalesce(array_length(u.positions, 1), 1), l.total
       FROM chunks c
         CROSS JOIN LATERAL (
           SELECT sum(coalesce(array_length(positions, 1), 1))::integer AS total FROM unnest(c.tsv)
         ) l
         CROSS JOIN LATERAL unnest(c.tsv) u
       WHERE c.tenant_id = $1 AND c.kb_id = $2 AND c.document_id = $3
       RETURNING chunk_id, tf
     )
     INSERT INTO kb_text_stats AS s (kb_id, tenant_id, chunk_count, term_count)
     SELECT $2, $1, count(DISTINCT chunk_id), coalesce(sum(tf), 0) FROM added
     ON CONFLICT (kb_id) DO UPDATE
       SET chunk_count = s.chunk_count + excluded.chunk_count, term_count = s.term_count + excluded.term_count`,
    [scope.tenantId, scope.kbId, documentId],
  );
}

/**
 * Removes a document's postings and their counts, before its chunks are deleted (the chunks'
 * `tsv` says which postings are theirs); in the transaction that deletes the chunks.
 */
export async function unindexDocumentTerms(
  sql: SqlRunner,
  scope: KbScope,
  documentId: string,
): Promise<void> {
  await sql.query(
    `WITH removed AS (
       DELETE FROM chunk_terms t
       USING chunks c CROSS JOIN LATERAL unnest(c.tsv) u
       WHERE c.tenant_id = $1 AND c.kb_id = $2 AND c.document_id = $3
         AND t.kb_id = c.kb_id AND t.term = u.lexeme AND t.chunk_id = c.id
       RETURNING t.chunk_id, t.tf
     )
     UPDATE kb_text_stats s
     SET chunk_count = s.chunk_count - r.chunks, term_count = s.term_count - r.terms
     FROM (SELECT count(DISTINCT chunk_id) AS chunks, coalesce(sum(tf), 0) AS terms FROM removed) r
     WHERE s.kb_id = $2 AND s.tenant_id = $1 AND r.chunks > 0`,
    [scope.tenantId, scope.kbId, documentId],
  );
}
