import { compareInByteOrder, slices } from '@strata/core';
import type { KbScope } from '@strata/tenancy';
import type { SqlRunner } from '../relational/sql-runner';
import { type ChunkTerms, type DocumentPostings, documentPostings } from './document-postings';

/**
 * Term rows one statement writes, at most. A 100 KB document has about 1,500 terms; indexed in one
 * statement they held the embedded database's one connection 30 ms on a quiet machine and 50-120
 * ms under a bulk ingest, and a request arriving meanwhile waited for the rest of it.
 */
export const TERM_ROWS_PER_STATEMENT = 400;

/**
 * Adds a document's chunks to the KB's inverted index, in short statements: its chunks' terms
 * are read (the lexemes of each chunk's stored `tsv`, so removal finds exactly the rows added from
 * them) and gathered into postings here; its chunks are numbered and counted (numberChunks); then
 * its term rows go into `chunk_terms`, TERM_ROWS_PER_STATEMENT a statement, each moving the KB's
 * version on and counting its rows as waiting to be packed (see packTermsWhenDue).
 *
 * Between the statements a search sees the document's chunks counted and some of its terms; the
 * document is still being processed then. After a crash between them, the document's next
 * attempt removes it from the index (unindexDocumentTerms) before adding it again: the terms not
 * written yet are taken for packed ones and recorded as removals that remove nothing, which the
 * next packing drops; every count stays what the rows say.
 */
export async function indexDocumentTerms(sql: SqlRunner, scope: KbScope, documentId: string): Promise<void> {
  const postings = documentPostings(await readChunkTerms(sql, scope, documentId));
  const first = await numberChunks(sql, scope, documentId, postings.chunks);
  // In the key's (byte) order, as the rows' index keeps them.
  const terms = [...postings.terms.entries()]
    .sort(([a], [b]) => compareInByteOrder(a, b))
    .map(([term, { places, tfs }]) => ({ term, chunks: places.map((place) => first + place), tfs }));
  for (const slice of slices(terms, TERM_ROWS_PER_STATEMENT))
    await insertTermRows(sql, scope, documentId, slice);
}

/** The document's chunks in order, each with its `tsv`'s lexemes and their frequencies. */
async function readChunkTerms(sql: SqlRunner, scope: KbScope, documentId: string): Promise<ChunkTerms[]> {
  return (await sql.query(
    `SELECT c.id, coalesce(x.terms, '{}') AS terms, coalesce(x.tfs, '{}') AS tfs
     FROM chunks c CROSS JOIN LATERAL (
       SELECT array_agg(u.lexeme) AS terms, array_agg(coalesce(array_length(u.positions, 1), 1)) AS tfs
       FROM unnest(c.tsv) u
     ) x
     WHERE c.tenant_id = $1 AND c.kb_id = $2 AND c.document_id = $3
     ORDER BY c.ordinal`,
    [scope.tenantId, scope.kbId, documentId],
  )) as ChunkTerms[];
}

/**
 * Numbers the document's chunks holding a term (`chunk_numbers`, from the KB's
 * `kb_text_stats.chunk_numbers`, in their places' order) and adds their counts to the KB's
 * statistics, moving its version on; answers the first chunk's number. The statistics row it
 * updates stays locked until the statement commits, so a KB's numbers are handed out in commit
 * order (a search that sees a number sees every smaller one not removed since, which lets the API
 * read only numbers it has not seen).
 */
async function numberChunks(
  sql: SqlRunner,
  scope: KbScope,
  documentId: string,
  chunks: DocumentPostings['chunks'],
): Promise<number> {
  const [row] = (await sql.query(
    `WITH stats AS (
       INSERT INTO kb_text_stats AS s (kb_id, tenant_id, chunk_count, term_count, chunk_numbers)
       VALUES ($2, $1, $4::integer, $5::bigint, $4::integer)
       ON CONFLICT (kb_id) DO UPDATE
         SET chunk_count = s.chunk_count + excluded.chunk_count, term_count = s.term_count + excluded.term_count,
           chunk_numbers = s.chunk_numbers + excluded.chunk_numbers, version = s.version + 1
       RETURNING s.chunk_numbers AS next
     ),
     base AS (SELECT (next - $4::integer)::integer AS first FROM stats),
     numbering AS (
       INSERT INTO chunk_numbers (kb_id, number, chunk_id, document_id, length)
       SELECT $2, base.first + x.place - 1, x.id, $3, x.length
       FROM unnest($6::uuid[], $7::integer[]) WITH ORDINALITY AS x(id, length, place), base
     )
     SELECT first FROM base`,
    [
      scope.tenantId,
      scope.kbId,
      documentId,
      chunks.length,
      chunks.reduce((sum, c) => sum + c.length, 0),
      chunks.map((c) => c.id),
      chunks.map((c) => c.length),
    ],
  )) as Array<{ first: number }>;
  return Number(row.first);
}

/**
 * Writes some of a document's term rows, and counts them in the KB's statistics as waiting to be
 * packed, moving its version on (searches read postings afresh).
 */
async function insertTermRows(
  sql: SqlRunner,
  scope: KbScope,
  documentId: string,
  terms: ReadonlyArray<{ term: string; chunks: number[]; tfs: number[] }>,
): Promise<void> {
  await sql.query(
    `WITH added AS (
       INSERT INTO chunk_terms (kb_id, term, document_id, chunks, tfs)
       SELECT $2, x.term, $3, x.chunks::integer[], x.tfs::integer[]
       FROM unnest($4::text[], $5::text[], $6::text[]) AS x(term, chunks, tfs)
       RETURNING cardinality(chunks) AS postings
     )
     UPDATE kb_text_stats s
     SET unpacked_rows = s.unpacked_rows + (SELECT count(*) FROM added),
       unpacked_postings = s.unpacked_postings + (SELECT coalesce(sum(postings), 0) FROM added),
       version = s.version + 1
     WHERE s.kb_id = $2 AND s.tenant_id = $1`,
    [
      scope.tenantId,
      scope.kbId,
      documentId,
      terms.map((t) => t.term),
      terms.map((t) => `{${t.chunks.join(',')}}`),
      terms.map((t) => `{${t.tfs.join(',')}}`),
    ],
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
