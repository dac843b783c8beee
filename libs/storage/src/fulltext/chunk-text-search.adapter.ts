import { Injectable } from '@nestjs/common';
import { AppConfig, bestOf } from '@strata/core';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { hiddenDocumentsOf, type KbScope } from '@strata/tenancy';
import type { SqlRunner } from '../relational/sql-runner';
import { KbChunks, KbPostings, PostingsCache, type TermPostings } from './postings-cache';
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
  // One KB's statistics pooled with no other's are its own.
  return searchChunkTermsAcross(sql, [scope], query, limit, options, cache);
}

/** A chunk found across KBs, with the KB it is in. */
export interface KbTextHit extends TextHit {
  kbId: string;
}

/**
 * One full-text ranking over several KBs of a tenant, as if they were one collection: each KB's
 * postings are read as `searchChunkTerms` reads them, and every chunk is scored by BM25 with the
 * KBs' statistics pooled (their chunks, lengths and the chunks holding each term, summed), so the
 * scores of different KBs share one scale. Relevance feedback expands the question from the best
 * chunks of all of them. `documentIds` may name documents of any of the KBs.
 */
export async function searchChunkTermsAcross(
  sql: SqlRunner,
  scopes: readonly KbScope[],
  query: string,
  limit: number,
  options: TextSearchOptions = {},
  cache: PostingsCache = new PostingsCache(0),
): Promise<KbTextHit[]> {
  const { documentIds, chunkIds, feedbackChunks = 0 } = options;
  if (documentIds?.length === 0 || chunkIds?.length === 0) return [];
  const read = async (
    question: (p: Param) => string,
    mayBeAsked: (term: string) => boolean,
  ): Promise<Array<{ scope: KbScope; read: ReadPostings }>> => {
    const reads = await Promise.all(
      scopes.map(async (scope) => ({
        scope,
        read: await readPostings(sql, scope, cache, question, mayBeAsked),
      })),
    );
    return reads.filter((r): r is { scope: KbScope; read: ReadPostings } => r.read !== null);
  };
  const rankAll = (
    reads: ReadonlyArray<{ scope: KbScope; read: ReadPostings }>,
    question: readonly WeightedTerm[],
    n: number,
  ): KbTextHit[] => {
    const stats = pooledStats(reads.map((r) => r.read));
    const hits = reads.flatMap(({ scope, read }) =>
      rank(read, question, n, { ...options, hidden: hiddenDocumentsOf(scope) }, stats).map((hit) => ({
        ...hit,
        kbId: scope.kbId,
      })),
    );
    return hits
      .sort((a, b) => b.score - a.score || (a.chunkId < b.chunkId ? -1 : a.chunkId > b.chunkId ? 1 : 0))
      .slice(0, n);
  };

  const first = await read((p) => questionFromText(p(query)), mayBeLexemeOf(query));
  if (first.length === 0) return [];
  const question = first[0].read.question;
  if (feedbackChunks <= 0) return rankAll(first, question, limit);

  const best = rankAll(first, question, feedbackChunks);
  if (best.length === 0) return [];
  const feedback = new Map<string, { terms: string[]; tfs: number[] }>();
  for (const scope of scopes) {
    const ids = best.filter((hit) => hit.kbId === scope.kbId).map((hit) => hit.chunkId);
    if (ids.length > 0) for (const [id, terms] of await chunkTerms(sql, scope, ids)) feedback.set(id, terms);
  }
  const expanded = expandQuestion(
    question,
    best.map((hit) => ({ score: hit.score, ...(feedback.get(hit.chunkId) ?? { terms: [], tfs: [] }) })),
  );
  const expandedTerms = new Set(expanded.map((t) => t.term));
  const second = await read(
    (p) => questionFromTerms(p([...expandedTerms]), p(expanded.map((t) => t.weight))),
    (term) => expandedTerms.has(term),
  );
  return second.length === 0 ? [] : rankAll(second, expanded, limit);
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
 * leading punctuation aside, as in a URL's "/path"), as a stem keeps its word's beginning. Only
 * a hint: a lexeme it misses is read again, not lost (see readPostings).
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
 * The KB's statistics and version, the question's terms, the postings of those terms the cache
 * lacks at that version, and the chunk numbers handed out since the cache last read them, in one
 * statement (one snapshot); the KB's cached postings brought up to date and kept. Null when the
 * scope has no statistics (no chunk yet, or the KB is not the tenant's). The statement is told
 * which cached terms `mayBeAsked` (sending every cached term cost more than reading a question's
 * postings once the cache held thousands); it reads any other term again.
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
  const [cachedVersion, cachedTerms, knownChunks] = [
    p(cached?.version ?? ''),
    p([...(cached?.terms.keys() ?? [])].filter(mayBeAsked)),
    p(cached?.chunks.known ?? 0),
  ];
  const uncached = `(s.version::text <> ${cachedVersion} OR NOT q.term = ANY(${cachedTerms}::text[]))`;
  const rows = (await sql.query(
    `WITH question AS (${questionSql}),
     stats AS (
       SELECT chunk_count, term_count, version, chunk_numbers FROM kb_text_stats
       WHERE kb_id = ${kbId} AND tenant_id = ${tenant} AND chunk_count > 0
     ),
     -- The question's terms, and a row without one that brings the chunk numbers.
     asked AS (SELECT term, weight FROM question UNION ALL SELECT NULL, NULL)
     SELECT s.chunk_count, s.term_count, s.version::text AS version, s.chunk_numbers, q.term, q.weight,
       k.packed_chunks, k.packed_tfs, k.removed_chunks, t.chunks, t.tfs,
       n.numbers, n.chunk_ids, n.document_ids, n.lengths
     FROM stats s CROSS JOIN asked q
       -- Lateral reads kept apart (OFFSET 0), so the cache test gates them before the scan: pulled
       -- up into the join, it was checked row by row after reading every cached term's postings.
       -- The term's pack, and the chunks of the documents removed since it was written.
       LEFT JOIN LATERAL (
         SELECT array_to_string(p.chunks, ' ') AS packed_chunks, array_to_string(p.tfs, ' ') AS packed_tfs,
           (SELECT string_agg(array_to_string(r.chunks, ' '), ' ') FROM chunk_term_removals r
            WHERE r.kb_id = ${kbId} AND r.term = q.term) AS removed_chunks
         FROM chunk_term_packs p
         WHERE p.kb_id = ${kbId} AND p.term = q.term AND ${uncached}
         OFFSET 0
       ) k ON true
       -- The term's rows not packed yet (one per document) come back as one row of space-separated
       -- lists. The aggregates of one level take their rows in the same order, so the lists align.
       LEFT JOIN LATERAL (
         SELECT string_agg(array_to_string(c.chunks, ' '), ' ') AS chunks,
           string_agg(array_to_string(c.tfs, ' '), ' ') AS tfs
         FROM chunk_terms c
         WHERE c.kb_id = ${kbId} AND c.term = q.term AND ${uncached}
         OFFSET 0
       ) t ON true
       -- The chunk numbers handed out since the cache read them.
       LEFT JOIN LATERAL (
         SELECT string_agg(c.number::text, ' ') AS numbers, string_agg(c.chunk_id::text, ' ') AS chunk_ids,
           string_agg(c.document_id::text, ' ') AS document_ids, string_agg(c.length::text, ' ') AS lengths
         FROM chunk_numbers c
         WHERE q.term IS NULL AND c.kb_id = ${kbId} AND c.number >= ${knownChunks}::integer
           AND c.number < s.chunk_numbers
         OFFSET 0
       ) n ON true`,
    params,
  )) as PostingRow[];
  if (rows.length === 0) return null;
  const [{ version, chunk_numbers: handedOut }] = rows;
  // Continue the postings the statement was told of (never what the cache holds now: others may
  // have pushed them out or replaced them meanwhile, and the terms left out would read as absent).
  const kb = cached?.version === version ? cached : new KbPostings(version, cached?.chunks ?? new KbChunks());
  const numbering = rows.find((row) => row.term === null);
  if (numbering && kb.chunks.known < Number(handedOut)) {
    addChunks(kb.chunks, numbering);
    kb.chunks.known = Number(handedOut);
  }
  const questionWeights = new Map<string, number>();
  for (const row of rows) {
    if (row.term === null) continue;
    questionWeights.set(row.term, Number(row.weight));
    // A term read just now, or one the statement was told is cached (its lists then come back null).
    if (!kb.terms.has(row.term)) kb.add(row.term, toPostings(row));
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
 * A question term with its postings as space-separated lists (null where none were read): its
 * pack with the chunks removed from it, and its rows; or (term null) the chunk numbers read.
 */
interface PostingRow {
  chunk_count: number | string;
  term_count: number | string;
  version: string;
  chunk_numbers: number | string;
  term: string | null;
  weight: number | string | null;
  packed_chunks: string | null;
  packed_tfs: string | null;
  removed_chunks: string | null;
  chunks: string | null;
  tfs: string | null;
  numbers: string | null;
  chunk_ids: string | null;
  document_ids: string | null;
  lengths: string | null;
}

const list = (text: string | null): string[] => (text ? text.split(' ') : []);

/** The chunk numbers a statement read, added to what the KB's numbering knows. */
function addChunks(chunks: KbChunks, row: PostingRow): void {
  const [ids, documents, lengths] = [list(row.chunk_ids), list(row.document_ids), list(row.lengths)];
  list(row.numbers).forEach((number, i) =>
    chunks.add(Number(number), ids[i], documents[i], Number(lengths[i])),
  );
}

/** A term's postings, as its pack (less its removed chunks) and rows list them; none when it has none. */
function toPostings(row: PostingRow): TermPostings {
  const packed = list(row.packed_chunks);
  const unpacked = list(row.chunks);
  const size = packed.length + unpacked.length;
  const postings: TermPostings = { chunks: new Int32Array(size), tfs: new Int32Array(size) };
  let n = 0;
  const removed = new Set(list(row.removed_chunks));
  const packedTfs = list(row.packed_tfs);
  packed.forEach((chunk, i) => {
    if (removed.has(chunk)) return;
    postings.chunks[n] = Number(chunk);
    postings.tfs[n++] = Number(packedTfs[i]);
  });
  const tfs = list(row.tfs);
  unpacked.forEach((chunk, i) => {
    postings.chunks[n] = Number(chunk);
    postings.tfs[n++] = Number(tfs[i]);
  });
  if (n === size) return postings;
  return { chunks: postings.chunks.slice(0, n), tfs: postings.tfs.slice(0, n) };
}

/** The statistics BM25 weighs terms and lengths by: one KB's, or several KBs' pooled. */
interface CorpusStats {
  chunks: number;
  meanLength: number;
  /** Chunks holding the term. */
  df: (term: string) => number;
}

const statsOf = (read: ReadPostings): CorpusStats => ({
  chunks: read.chunks,
  meanLength: read.meanLength,
  df: (term) => read.kb.terms.get(term)?.chunks.length ?? 0,
});

/** Several KBs' statistics as one collection's: chunks, lengths and document frequencies summed. */
function pooledStats(reads: readonly ReadPostings[]): CorpusStats {
  const chunks = reads.reduce((sum, read) => sum + read.chunks, 0);
  const length = reads.reduce((sum, read) => sum + read.meanLength * read.chunks, 0);
  return {
    chunks,
    meanLength: length / Math.max(chunks, 1),
    df: (term) => reads.reduce((sum, read) => sum + (read.kb.terms.get(term)?.chunks.length ?? 0), 0),
  };
}

/** The best `limit` chunks for weighted terms by BM25; equal scores in chunk id order. */
function rank(
  read: ReadPostings,
  question: readonly WeightedTerm[],
  limit: number,
  only: TextSearchFilter & { hidden?: readonly string[] },
  stats: CorpusStats = statsOf(read),
) {
  const { kb } = read;
  const { chunks: n, meanLength } = stats;
  const { chunkIds: ids, chunkDocuments, lengths } = kb.chunks;
  const numbers = <T>(given: readonly string[] | undefined, known: (id: string) => T | undefined) =>
    given === undefined ? null : new Set(given.map(known).filter((x) => x !== undefined));
  const documents = numbers(only.documentIds, (id) => kb.chunks.documentOf(id));
  const chosen = numbers(only.chunkIds, (id) => kb.chunks.numberOf(id));
  // Documents the caller may not see; the statistics above still count their chunks.
  const hidden = only.hidden?.length ? numbers(only.hidden, (id) => kb.chunks.documentOf(id)) : null;
  // Accumulators by chunk number.
  const scores = new Float64Array(kb.chunks.known);
  const seen = new Uint8Array(kb.chunks.known);
  const touched: number[] = [];
  for (const { term, weight } of question) {
    const postings = kb.terms.get(term);
    if (!postings || postings.chunks.length === 0) continue;
    const df = stats.df(term);
    const idf = weight * Math.log(1 + (n - df + 0.5) / (df + 0.5));
    for (let i = 0; i < postings.chunks.length; i++) {
      const chunk = postings.chunks[i];
      if (documents && !documents.has(chunkDocuments[chunk])) continue;
      if (chosen && !chosen.has(chunk)) continue;
      if (hidden && hidden.has(chunkDocuments[chunk])) continue;
      const tf = postings.tfs[i];
      const norm = BM25.k1 * (1 - BM25.b + (BM25.b * lengths[chunk]) / meanLength);
      if (!seen[chunk]) {
        seen[chunk] = 1;
        touched.push(chunk);
      }
      scores[chunk] += (idf * tf) / (tf + norm);
    }
  }
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
  /**
   * SEARCH_CACHE_POSTINGS: at 10,000 one-chunk documents a KB holds ~750,000 postings and 10,000
   * chunk numbers.
   */
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

  /** One ranking over several KBs with their statistics pooled (see `searchChunkTermsAcross`). */
  searchAcross(
    scopes: readonly KbScope[],
    query: string,
    limit: number,
    options?: TextSearchOptions,
  ): Promise<KbTextHit[]> {
    return searchChunkTermsAcross(this.dataSource, scopes, query, limit, options, this.cache);
  }
}
