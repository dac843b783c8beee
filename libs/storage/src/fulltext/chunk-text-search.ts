import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { KbScope } from '@strata/tenancy';
import type { SqlRunner } from '../relational/sql-runner';
import { expandQuestion } from './relevance-feedback';

export interface TextHit {
  chunkId: string;
  /** The chunk's BM25 score for the query within its KB; higher is better. */
  score: number;
}

/** What a search may return; statistics still count every chunk of the KB. */
export interface TextSearchFilter {
  /** Only chunks of these documents. */
  documentIds?: readonly string[];
  /** Only these chunks (e.g. a graph walk's finds, ranked by the question). */
  chunkIds?: readonly string[];
}

export interface TextSearchOptions extends TextSearchFilter {
  /**
   * Pseudo-relevance feedback (RM3, see `expandQuestion`): the best this many chunks of a first
   * search expand the question, which is then searched again. 0 or absent: one plain search.
   */
  feedbackChunks?: number;
}

/** BM25's term-frequency saturation and length normalisation, at the usual values. */
export const BM25 = { k1: 1.2, b: 0.75 } as const;

/**
 * Full-text search over a KB's chunks ranked by Okapi BM25 with the KB's own statistics: a term's
 * weight is ln(1 + (N - df + 0.5) / (df + 0.5)) over the KB's N chunks, its frequency in a chunk
 * saturates (k1) and is normalised by the chunk's length against the KB's mean (b). Terms are
 * PostgreSQL's English lexemes (stemmed, stop words out); a term the question repeats counts
 * again. Postings are read through the KB's key only, and only when the KB's statistics row
 * belongs to the scope's tenant. A question with no searchable word matches nothing. With
 * `feedbackChunks`, the question is first expanded from what a plain search finds (two statements).
 */
export async function searchChunkTerms(
  sql: SqlRunner,
  scope: KbScope,
  query: string,
  limit: number,
  options: TextSearchOptions = {},
): Promise<TextHit[]> {
  const { documentIds, chunkIds, feedbackChunks = 0 } = options;
  if (documentIds?.length === 0 || chunkIds?.length === 0) return [];
  if (feedbackChunks <= 0) return rank(sql, scope, (p) => questionFromText(p(query)), limit, options);

  const feedback = await readFeedback(sql, scope, query, feedbackChunks, options);
  if (feedback.length === 0) return [];
  const question = feedback[0].question_terms.map((term, i) => ({
    term,
    weight: Number(feedback[0].question_weights[i]),
  }));
  const expanded = expandQuestion(
    question,
    feedback.map((row) => ({ score: Number(row.score), terms: row.terms, tfs: row.tfs.map(Number) })),
  );
  return rank(
    sql,
    scope,
    (p) => questionFromTerms(p(expanded.map((t) => t.term)), p(expanded.map((t) => t.weight))),
    limit,
    options,
  );
}

/** Adds a parameter; answers its placeholder. */
type Param = (value: unknown) => string;

/** The question's terms as PostgreSQL's English lexemes of its text, a repeated word weighing more. */
const questionFromText = (text: string) =>
  `SELECT lexeme AS term, coalesce(array_length(positions, 1), 1)::float8 AS weight
   FROM unnest(to_tsvector('english', ${text}))`;

/** The question as given terms and weights. */
const questionFromTerms = (terms: string, weights: string) =>
  `SELECT term, weight FROM unnest(${terms}::text[], ${weights}::float8[]) AS q(term, weight)`;

/**
 * The ranking statement: the KB's chunks by the BM25 score of the question's terms, each term's
 * part times its weight in the question. Document frequencies count every posting of the KB; the
 * filters only narrow what is returned.
 */
function rankingSql(scope: KbScope, p: Param, question: string, limit: number, only: TextSearchFilter) {
  const [tenant, kb] = [p(scope.tenantId), p(scope.kbId)];
  const [k1, b] = [p(BM25.k1), p(BM25.b)];
  const filters: string[] = [];
  if (only.documentIds !== undefined) {
    filters.push(`EXISTS (
      SELECT 1 FROM chunks c
      WHERE c.id = p.chunk_id AND c.tenant_id = ${tenant} AND c.kb_id = ${kb}
        AND c.document_id = ANY(${p([...only.documentIds])}::uuid[]))`);
  }
  if (only.chunkIds !== undefined) filters.push(`p.chunk_id = ANY(${p([...only.chunkIds])}::uuid[])`);
  return `WITH question AS (${question}),
     stats AS (
       SELECT chunk_count::float8 AS n, term_count::float8 / greatest(chunk_count, 1) AS mean_length
       FROM kb_text_stats WHERE kb_id = ${kb} AND tenant_id = ${tenant} AND chunk_count > 0
     ),
     matched AS (
       SELECT t.term, t.chunk_ids, t.tfs, t.chunk_lengths, q.weight
       FROM chunk_terms t JOIN question q ON q.term = t.term
       WHERE t.kb_id = ${kb} AND EXISTS (SELECT 1 FROM stats)
     ),
     frequencies AS (SELECT term, sum(cardinality(chunk_ids)) AS df FROM matched GROUP BY term),
     postings AS (
       SELECT x.chunk_id, x.tf, x.chunk_length, m.weight, f.df
       FROM matched m
         JOIN frequencies f ON f.term = m.term
         CROSS JOIN LATERAL unnest(m.chunk_ids, m.tfs, m.chunk_lengths) AS x(chunk_id, tf, chunk_length)
     )
     SELECT p.chunk_id AS id,
       sum(p.weight * ln(1 + (s.n - p.df + 0.5) / (p.df + 0.5))
           * p.tf / (p.tf + ${k1}::float8 * (1 - ${b}::float8 + ${b}::float8 * p.chunk_length / s.mean_length))) AS score
     FROM postings p CROSS JOIN stats s
     ${filters.length ? `WHERE ${filters.join(' AND ')}` : ''}
     GROUP BY p.chunk_id
     ORDER BY score DESC, p.chunk_id
     LIMIT ${p(limit)}`;
}

async function rank(
  sql: SqlRunner,
  scope: KbScope,
  question: (p: Param) => string,
  limit: number,
  only: TextSearchFilter,
): Promise<TextHit[]> {
  const params: unknown[] = [];
  const p: Param = (value) => `$${params.push(value)}`;
  const statement = rankingSql(scope, p, question(p), limit, only);
  const rows = (await sql.query(statement, params)) as Array<{ id: string; score: number | string }>;
  return rows.map((row) => ({ chunkId: row.id, score: Number(row.score) }));
}

/**
 * The best `count` chunks of a plain search, each with its score and its terms (lexemes of its
 * stored `tsv`, with their frequencies), and the question's own terms: what RM3 needs, in one
 * statement.
 */
async function readFeedback(
  sql: SqlRunner,
  scope: KbScope,
  query: string,
  count: number,
  only: TextSearchFilter,
) {
  const params: unknown[] = [];
  const p: Param = (value) => `$${params.push(value)}`;
  const [tenant, kb] = [p(scope.tenantId), p(scope.kbId)];
  const question = questionFromText(p(query));
  const first = rankingSql(scope, p, question, count, only);
  return (await sql.query(
    `WITH first AS (${first})
     SELECT f.id, f.score, t.terms, t.tfs,
       (SELECT array_agg(term ORDER BY term) FROM (${question}) q) AS question_terms,
       (SELECT array_agg(weight ORDER BY term) FROM (${question}) q) AS question_weights
     FROM first f
       JOIN chunks c ON c.id = f.id AND c.tenant_id = ${tenant} AND c.kb_id = ${kb}
       CROSS JOIN LATERAL (
         SELECT array_agg(lexeme) AS terms, array_agg(coalesce(array_length(positions, 1), 1)) AS tfs
         FROM unnest(c.tsv)
       ) t`,
    params,
  )) as Array<{
    score: number | string;
    terms: string[];
    tfs: Array<number | string>;
    question_terms: string[];
    question_weights: Array<number | string>;
  }>;
}

/** The KB's full-text ranking on the application's database (see `searchChunkTerms`). */
@Injectable()
export class ChunkTextSearch {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  search(scope: KbScope, query: string, limit: number, options?: TextSearchOptions): Promise<TextHit[]> {
    return searchChunkTerms(this.dataSource, scope, query, limit, options);
  }
}
