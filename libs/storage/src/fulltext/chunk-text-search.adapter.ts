import { Injectable } from '@nestjs/common';
import { AppConfig, bestOf } from '@strata/core';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { KbScope } from '@strata/tenancy';
import type { SqlRunner } from '../relational/sql-runner';
import { KbPostings, PostingsCache, type TermPostings } from './postings-cache';
import { expandQuestion, type WeightedTerm } from './relevance-feedback';

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
 * again. Postings and statistics are read through the KB's key only, and only when the KB's
 * statistics row belongs to the scope's tenant. A question with no searchable word matches
 * nothing. With `feedbackChunks`, the question is first expanded from what a plain search finds.
 *
 * Postings are read once per term and KB version and kept in `cache`: a search reads the KB's
 * statistics, its question's lexemes and the postings of the terms not cached at the KB's
 * current version, in one statement (one snapshot), and scores in memory. Without a `cache`
 * (or with a bound of 0), every search reads all its terms.
 */
export async function searchChunkTerms(
  sql: SqlRunner,
  scope: KbScope,
  query: string,
  limit: number,
  options: TextSearchOptions = {},
  cache: PostingsCache = new PostingsCache(0),
): Promise<TextHit[]> {
  const { documentIds, chunkIds, feedbackChunks = 0 } = options;
  if (documentIds?.length === 0 || chunkIds?.length === 0) return [];
  const first = await readPostings(
    sql,
    scope,
    cache,
    (p) => questionFromText(p(query)),
    mayBeLexemeOf(query),
  );
  if (first === null) return [];
  if (feedbackChunks <= 0) return rank(first, first.question, limit, options);

  const best = rank(first, first.question, feedbackChunks, options);
  if (best.length === 0) return [];
  const feedback = await chunkTerms(
    sql,
    scope,
    best.map((hit) => hit.chunkId),
  );
  const expanded = expandQuestion(
    first.question,
    best.map((hit) => ({ score: hit.score, ...(feedback.get(hit.chunkId) ?? { terms: [], tfs: [] }) })),
  );
  const expandedTerms = new Set(expanded.map((t) => t.term));
  const second = await readPostings(
    sql,
    scope,
    cache,
    (p) => questionFromTerms(p([...expandedTerms]), p(expanded.map((t) => t.weight))),
    (term) => expandedTerms.has(term),
  );
  return second === null ? [] : rank(second, expanded, limit, options);
}

/** Adds a parameter; answers its placeholder. */
type Param = (value: unknown) => string;

/** The question's terms as PostgreSQL's English lexemes of its text, a repeated word weighing more. */
const questionFromText = (text: string) =>
  `SELECT lexeme AS term, coalesce(array_length(positions, 1), 1)::float8 AS weight
   FROM unnest(to_tsvector('english', ${text}))`;

/**
 * Whether a term may be one of the lexemes of `text`: whether it starts as one of the text's
 * words does (its first three characters, or the whole of a shorter word: "2.5" starts as "2";
 * leading punctuation aside, as in a URL's "/path"), as a stem keeps its word's beginning. Only a hint: a lexeme it misses is read again, not lost (see readPostings).
 */
export function mayBeLexemeOf(text: string): (term: string) => boolean {
  const starts = new Set(
    text
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .filter(Boolean)
      .map((word) => word.slice(0, WORD_START)),
  );
  return (term) => {
    const start = term.replace(LEADING_NON_WORD, '');
    for (let length = 1; length <= WORD_START; length++) if (starts.has(start.slice(0, length))) return true;
    return false;
  };
}

const WORD_START = 3;
const LEADING_NON_WORD = /^[^\p{L}\p{N}]+/u;

/** The question as given terms and weights. */
const questionFromTerms = (terms: string, weights: string) =>
  `SELECT term, weight FROM unnest(${terms}::text[], ${weights}::float8[]) AS q(term, weight)`;

/** A KB's postings for a question, with the statistics they were read at. */
interface ReadPostings {
  kb: KbPostings;
  chunks: number;
  meanLength: number;
  question: WeightedTerm[];
}

/**
 * The KB's statistics and version, the question's terms, and the postings of those terms the
 * cache lacks at that version, in one statement; the KB's cached postings brought up to date and
 * kept. Null when the scope has no statistics (no chunk yet, or the KB is not the tenant's).
 * The statement is told which cached terms `mayBeAsked` (sending every cached term cost more than
 * reading a question's postings once the cache held thousands); it reads any other term again.
 */
async function readPostings(
  sql: SqlRunner,
  scope: KbScope,
  cache: PostingsCache,
  question: (p: Param) => string,
  mayBeAsked: (term: string) => boolean,
): Promise<ReadPostings | null> {
  const params: unknown[] = [];
  const p: Param = (value) => `$${params.push(value)}`;
  const [tenant, kbId] = [p(scope.tenantId), p(scope.kbId)];
  const questionSql = question(p);
  const cached = cache.peek(scope);
  const [cachedVersion, cachedTerms] = [
    p(cached?.version ?? ''),
    p([...(cached?.terms.keys() ?? [])].filter(mayBeAsked)),
  ];
  const uncached = `(s.version::text <> ${cachedVersion} OR NOT q.term = ANY(${cachedTerms}::text[]))`;
  const rows = (await sql.query(
    `WITH question AS (${questionSql}),
     stats AS (
       SELECT chunk_count, term_count, version FROM kb_text_stats
       WHERE kb_id = ${kbId} AND tenant_id = ${tenant} AND chunk_count > 0
     )
     SELECT s.chunk_count, s.term_count, s.version::text AS version, q.term, q.weight,
       k.packed_document_ids, k.packed_chunk_ids, k.packed_tfs, k.packed_chunk_lengths, k.removed_document_ids,
       t.document_ids, t.chunks_per_document, t.chunk_ids, t.tfs, t.chunk_lengths
     FROM stats s CROSS JOIN question q
       -- Lateral reads kept apart (OFFSET 0), so the cache test gates them before the scan: pulled
       -- up into the join, it was checked row by row after reading every cached term's postings.
       -- The term's pack, less the documents removed since it was written.
       LEFT JOIN LATERAL (
         SELECT array_to_string(p.document_ids, ' ') AS packed_document_ids,
           array_to_string(p.chunk_ids, ' ') AS packed_chunk_ids,
           array_to_string(p.tfs, ' ') AS packed_tfs,
           array_to_string(p.chunk_lengths, ' ') AS packed_chunk_lengths,
           (SELECT string_agg(r.document_id::text, ' ') FROM chunk_term_removals r
            WHERE r.kb_id = ${kbId} AND r.term = q.term) AS removed_document_ids
         FROM chunk_term_packs p
         WHERE p.kb_id = ${kbId} AND p.term = q.term AND ${uncached}
         OFFSET 0
       ) k ON true
       -- The term's rows not packed yet (one per document) come back as one row of space-separated
       -- lists: a frequent term has thousands, and parsing each as a row of arrays cost more than
       -- reading them. The aggregates of one level take their rows in the same order, so the lists align.
       LEFT JOIN LATERAL (
         SELECT string_agg(c.document_id::text, ' ') AS document_ids,
           string_agg(cardinality(c.chunk_ids)::text, ' ') AS chunks_per_document,
           string_agg(array_to_string(c.chunk_ids, ' '), ' ') AS chunk_ids,
           string_agg(array_to_string(c.tfs, ' '), ' ') AS tfs,
           string_agg(array_to_string(c.chunk_lengths, ' '), ' ') AS chunk_lengths
         FROM chunk_terms c
         WHERE c.kb_id = ${kbId} AND c.term = q.term AND ${uncached}
         OFFSET 0
       ) t ON true`,
    params,
  )) as PostingRow[];
  if (rows.length === 0) return null;
  // Continue the postings the statement was told of (never what the cache holds now: others may
  // have pushed them out or replaced them meanwhile, and the terms left out would read as absent).
  const kb = cached?.version === rows[0].version ? cached : new KbPostings(rows[0].version);
  const questionWeights = new Map<string, number>();
  for (const row of rows) {
    questionWeights.set(row.term, Number(row.weight));
    // A term read just now, or one the statement was told is cached (its lists then come back null).
    if (!kb.terms.has(row.term)) kb.add(row.term, toPostings(kb, row));
  }
  cache.keep(scope, kb);
  const chunks = Number(rows[0].chunk_count);
  return {
    kb,
    chunks,
    meanLength: Number(rows[0].term_count) / Math.max(chunks, 1),
    question: [...questionWeights].map(([term, weight]) => ({ term, weight })),
  };
}

/**
 * A question term, with its postings as space-separated lists (null where none were read): its
 * pack (a document per chunk) with the documents removed from it, and its rows (a document each).
 */
interface PostingRow {
  chunk_count: number | string;
  term_count: number | string;
  version: string;
  term: string;
  weight: number | string;
  packed_document_ids: string | null;
  packed_chunk_ids: string | null;
  packed_tfs: string | null;
  packed_chunk_lengths: string | null;
  removed_document_ids: string | null;
  document_ids: string | null;
  chunks_per_document: string | null;
  chunk_ids: string | null;
  tfs: string | null;
  chunk_lengths: string | null;
}

const list = (text: string | null): string[] => (text ? text.split(' ') : []);

/** A term's postings, as its pack and rows list them, numbered within the KB; none when it has none. */
function toPostings(kb: KbPostings, row: PostingRow): TermPostings {
  const packedChunks = list(row.packed_chunk_ids);
  const chunkIds = list(row.chunk_ids);
  const size = packedChunks.length + chunkIds.length;
  const postings: TermPostings = {
    chunks: new Int32Array(size),
    tfs: new Int32Array(size),
    lengths: new Int32Array(size),
  };
  let n = 0;
  const removed = new Set(list(row.removed_document_ids));
  const packedDocuments = list(row.packed_document_ids);
  const [packedTfs, packedLengths] = [list(row.packed_tfs), list(row.packed_chunk_lengths)];
  packedChunks.forEach((chunkId, i) => {
    if (removed.has(packedDocuments[i])) return;
    postings.chunks[n] = kb.chunkNumber(chunkId, packedDocuments[i]);
    postings.tfs[n] = Number(packedTfs[i]);
    postings.lengths[n++] = Number(packedLengths[i]);
  });
  const [tfs, lengths, perDocument] = [list(row.tfs), list(row.chunk_lengths), list(row.chunks_per_document)];
  let i = 0;
  list(row.document_ids).forEach((documentId, d) => {
    for (const end = i + Number(perDocument[d]); i < end; i++, n++) {
      postings.chunks[n] = kb.chunkNumber(chunkIds[i], documentId);
      postings.tfs[n] = Number(tfs[i]);
      postings.lengths[n] = Number(lengths[i]);
    }
  });
  if (n === size) return postings;
  return {
    chunks: postings.chunks.slice(0, n),
    tfs: postings.tfs.slice(0, n),
    lengths: postings.lengths.slice(0, n),
  };
}

/** The best `limit` chunks for weighted terms by BM25; equal scores in chunk id order. */
function rank(read: ReadPostings, question: readonly WeightedTerm[], limit: number, only: TextSearchFilter) {
  const { kb, chunks: n, meanLength } = read;
  const numbers = <T>(ids: readonly string[] | undefined, known: (id: string) => T | undefined) =>
    ids === undefined ? null : new Set(ids.map(known).filter((x) => x !== undefined));
  const documents = numbers(only.documentIds, (id) => kb.knownDocument(id));
  const chosen = numbers(only.chunkIds, (id) => kb.knownChunk(id));
  // Accumulators by chunk number (the KB's chunks are numbered as their postings are read).
  const scores = new Float64Array(kb.chunkIds.length);
  const seen = new Uint8Array(kb.chunkIds.length);
  const touched: number[] = [];
  for (const { term, weight } of question) {
    const postings = kb.terms.get(term);
    if (!postings || postings.chunks.length === 0) continue;
    const df = postings.chunks.length;
    const idf = weight * Math.log(1 + (n - df + 0.5) / (df + 0.5));
    for (let i = 0; i < df; i++) {
      const chunk = postings.chunks[i];
      if (documents && !documents.has(kb.chunkDocuments[chunk])) continue;
      if (chosen && !chosen.has(chunk)) continue;
      const tf = postings.tfs[i];
      const norm = BM25.k1 * (1 - BM25.b + (BM25.b * postings.lengths[i]) / meanLength);
      if (!seen[chunk]) {
        seen[chunk] = 1;
        touched.push(chunk);
      }
      scores[chunk] += (idf * tf) / (tf + norm);
    }
  }
  const ids = kb.chunkIds;
  const before = (a: number, b: number) =>
    scores[b] - scores[a] || (ids[a] < ids[b] ? -1 : ids[a] > ids[b] ? 1 : 0);
  return bestOf(touched, limit, before).map((chunk) => ({ chunkId: ids[chunk], score: scores[chunk] }));
}

/** The terms (lexemes of their stored `tsv`, with frequencies) of some of the KB's chunks. */
async function chunkTerms(
  sql: SqlRunner,
  scope: KbScope,
  ids: readonly string[],
): Promise<Map<string, { terms: string[]; tfs: number[] }>> {
  const rows = (await sql.query(
    `SELECT c.id, t.terms, t.tfs
     FROM chunks c CROSS JOIN LATERAL (
       SELECT array_agg(lexeme) AS terms, array_agg(coalesce(array_length(positions, 1), 1)) AS tfs
       FROM unnest(c.tsv)
     ) t
     WHERE c.tenant_id = $1 AND c.kb_id = $2 AND c.id = ANY($3::uuid[])`,
    [scope.tenantId, scope.kbId, [...ids]],
  )) as Array<{ id: string; terms: string[] | null; tfs: Array<number | string> | null }>;
  return new Map(rows.map((r) => [r.id, { terms: r.terms ?? [], tfs: (r.tfs ?? []).map(Number) }]));
}

/** The KB's full-text ranking on the application's database (see `searchChunkTerms`). */
@Injectable()
export class ChunkTextSearch {
  /** SEARCH_CACHE_POSTINGS: at 10,000 one-chunk documents a KB holds ~900,000 postings. */
  private readonly cache: PostingsCache;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    config: AppConfig,
  ) {
    this.cache = new PostingsCache(config.searchCachePostings);
  }

  search(scope: KbScope, query: string, limit: number, options?: TextSearchOptions): Promise<TextHit[]> {
    return searchChunkTerms(this.dataSource, scope, query, limit, options, this.cache);
  }
}
