import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { KbScope } from '@strata/tenancy';
import type { SqlRunner } from '../relational/sql-runner';

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

/** BM25's term-frequency saturation and length normalisation, at the usual values. */
export const BM25 = { k1: 1.2, b: 0.75 } as const;

/**
 * Full-text search over a KB's chunks ranked by Okapi BM25 with the KB's own statistics: a term's
 * weight is ln(1 + (N - df + 0.5) / (df + 0.5)) over the KB's N chunks, its frequency in a chunk
 * saturates (k1) and is normalised by the chunk's length against the KB's mean (b). Terms are
 * PostgreSQL's English lexemes (stemmed, stop words out); a term the question repeats counts
 * again. Postings are read through the KB's key only, and only when the KB's statistics row
 * belongs to the scope's tenant. A question with no searchable word matches nothing.
 */
export async function searchChunkTerms(
  sql: SqlRunner,
  scope: KbScope,
  query: string,
  limit: number,
  only: TextSearchFilter = {},
): Promise<TextHit[]> {
  const { documentIds, chunkIds } = only;
  if (documentIds?.length === 0 || chunkIds?.length === 0) return [];
  const params: unknown[] = [scope.tenantId, scope.kbId, query, limit, BM25.k1, BM25.b];
  const filters: string[] = [];
  if (documentIds !== undefined) {
    params.push([...documentIds]);
    filters.push(`EXISTS (
      SELECT 1 FROM chunks c
      WHERE c.id = p.chunk_id AND c.tenant_id = $1 AND c.kb_id = $2 AND c.document_id = ANY($${params.length}::uuid[]))`);
  }
  if (chunkIds !== undefined) {
    params.push([...chunkIds]);
    filters.push(`p.chunk_id = ANY($${params.length}::uuid[])`);
  }
  // Document frequencies count every posting of the KB; the filters only narrow what is returned.
  const rows = (await sql.query(
    `WITH question AS (
       SELECT lexeme AS term, coalesce(array_length(positions, 1), 1) AS repeats
       FROM unnest(to_tsvector('english', $3))
     ),
     stats AS (
       SELECT chunk_count::float8 AS n, term_count::float8 / greatest(chunk_count, 1) AS mean_length
       FROM kb_text_stats WHERE kb_id = $2 AND tenant_id = $1 AND chunk_count > 0
     ),
     matched AS (
       SELECT t.term, t.chunk_ids, t.tfs, t.chunk_lengths, q.repeats
       FROM chunk_terms t JOIN question q ON q.term = t.term
       WHERE t.kb_id = $2 AND EXISTS (SELECT 1 FROM stats)
     ),
     frequencies AS (SELECT term, sum(cardinality(chunk_ids)) AS df FROM matched GROUP BY term),
     postings AS (
       SELECT x.chunk_id, x.tf, x.chunk_length, m.repeats, f.df
       FROM matched m
         JOIN frequencies f ON f.term = m.term
         CROSS JOIN LATERAL unnest(m.chunk_ids, m.tfs, m.chunk_lengths) AS x(chunk_id, tf, chunk_length)
     )
     SELECT p.chunk_id AS id,
       sum(p.repeats * ln(1 + (s.n - p.df + 0.5) / (p.df + 0.5))
           * p.tf / (p.tf + $5::float8 * (1 - $6::float8 + $6::float8 * p.chunk_length / s.mean_length))) AS score
     FROM postings p CROSS JOIN stats s
     ${filters.length ? `WHERE ${filters.join(' AND ')}` : ''}
     GROUP BY p.chunk_id
     ORDER BY score DESC, p.chunk_id
     LIMIT $4`,
    params,
  )) as Array<{ id: string; score: number | string }>;
  return rows.map((row) => ({ chunkId: row.id, score: Number(row.score) }));
}

/** The KB's full-text ranking on the application's database (see `searchChunkTerms`). */
@Injectable()
export class ChunkTextSearch {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  search(scope: KbScope, query: string, limit: number, only?: TextSearchFilter): Promise<TextHit[]> {
    return searchChunkTerms(this.dataSource, scope, query, limit, only);
  }
}
