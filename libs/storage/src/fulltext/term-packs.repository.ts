import type { DataSource } from 'typeorm';
import type { KbScope } from '@strata/tenancy';
import type { SqlRunner } from '../relational/sql-runner';

/**
 * Unpacked rows a KB keeps before it packs at all: below this, reading rows costs little. (Rows
 * of `chunk_terms` and `chunk_term_removals`: a term's row per document is what makes a cold
 * read slow, at 5-10 µs a row in PGlite against under 1 µs a packed posting.)
 */
export const PACK_MIN_ROWS = 20_000;

/**
 * A KB packs once its unpacked rows pass this share of the postings a packing would rewrite (its
 * packed ones and those its rows list). Packing pays when the rows cost more to read than the
 * packs cost to rewrite: a row costs about as much as five packed postings, so with one chunk per
 * row the packs are rewritten geometrically (each time the rows pass a third of what is packed,
 * a few times the index's size over a KB's life, at most a quarter of its postings read as rows);
 * documents whose rows list four chunks or more each are never packed, their rows are as cheap.
 */
export const PACK_SHARE = 0.25;

/**
 * Postings (packed ones rewritten plus rows folded in) one packing statement handles, about, so
 * it holds a connection briefly: the embedded database has one, which requests wait for.
 */
export const POSTINGS_PER_STATEMENT = 8_000;

/** Terms whose packs are read at a time to plan the slices. */
const PLANNING_PAGE = 5_000;

/** A KB's counts of what is packed and what waits (see kb_text_stats). */
export interface PackingCounts {
  unpackedRows: number;
  unpackedPostings: number;
  packedPostings: number;
}

/** Whether the KB's unpacked rows are due to be packed. */
export function packingDue({ unpackedRows, unpackedPostings, packedPostings }: PackingCounts): boolean {
  return unpackedRows >= PACK_MIN_ROWS && unpackedRows >= PACK_SHARE * (packedPostings + unpackedPostings);
}

/**
 * KBs this process is packing now: a document that finishes meanwhile leaves the packing to the
 * one under way. (Two processes may still pack one KB at once; its lock keeps that correct, and
 * the second finds little left to do.)
 */
const packingNow = new Set<string>();

/**
 * Packs the KB's postings once they are due (see packingDue); a no-op otherwise, or while this
 * process is packing the KB already. Run after a document's postings changed, outside its
 * transaction.
 */
export async function packTermsWhenDue(dataSource: DataSource, scope: KbScope): Promise<void> {
  if (packingNow.has(scope.kbId)) return;
  packingNow.add(scope.kbId);
  try {
    const counts = await packingCounts(dataSource, scope);
    if (counts && packingDue(counts)) await packRanges(dataSource, scope, counts, POSTINGS_PER_STATEMENT);
  } finally {
    packingNow.delete(scope.kbId);
  }
}

async function packingCounts(sql: SqlRunner, scope: KbScope): Promise<PackingCounts | null> {
  const [row] = (await sql.query(
    `SELECT unpacked_rows, unpacked_postings, packed_postings FROM kb_text_stats
     WHERE kb_id = $1 AND tenant_id = $2`,
    [scope.kbId, scope.tenantId],
  )) as Array<Record<'unpacked_rows' | 'unpacked_postings' | 'packed_postings', string | number>>;
  if (!row) return null;
  return {
    unpackedRows: Number(row.unpacked_rows),
    unpackedPostings: Number(row.unpacked_postings),
    packedPostings: Number(row.packed_postings),
  };
}

/** Terms after `after` (from the first when absent) up to and including `upTo` (to the last when absent). */
export interface TermRange {
  after?: string;
  upTo?: string;
}

/**
 * Folds the KB's unpacked postings into its packs: for every term with rows in `chunk_terms` or
 * documents in `chunk_term_removals`, the term's pack becomes what it held, less the removed
 * documents' chunks, plus the rows, which go. Terms are packed in ranges of about `postingsPerStatement`
 * postings, each in its own transaction that first takes the KB's packing lock, so two processes
 * never rewrite one pack from the same old one; each range is one statement (one snapshot), so a
 * document indexed or removed meanwhile is either folded in whole for the term or left for the
 * next packing. Searches find the same chunks with the same scores before and after: the KB's
 * version stays.
 */
export async function packTerms(
  dataSource: DataSource,
  scope: KbScope,
  postingsPerStatement = POSTINGS_PER_STATEMENT,
): Promise<void> {
  const counts = await packingCounts(dataSource, scope);
  if (counts) await packRanges(dataSource, scope, counts, postingsPerStatement);
}

/** packTerms with the KB's counts already read. */
async function packRanges(
  dataSource: DataSource,
  scope: KbScope,
  counts: PackingCounts,
  postingsPerStatement: number,
): Promise<void> {
  for (const range of await packingRanges(dataSource, scope, counts, postingsPerStatement)) {
    await dataSource.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('strata.packing:' || $1::text))`, [
        scope.kbId,
      ]);
      await packRange(manager, scope, range);
    });
  }
}

/**
 * Term ranges of about `postingsPerRange` postings to rewrite, cut where the KB's packs say its
 * postings lie (paged, so no statement reads them all); the rows to fold in are taken to spread as
 * the packed postings do. A KB with nothing packed yet (its first packing, or its first since
 * packs came) is cut every `postingsPerRange` rows instead.
 */
async function packingRanges(
  sql: SqlRunner,
  scope: KbScope,
  counts: PackingCounts,
  postingsPerRange: number,
): Promise<TermRange[]> {
  const { packedPostings, unpackedPostings } = counts;
  if (packedPostings <= 0) return rowRanges(sql, scope, postingsPerRange);
  const packedPerRange = Math.max(
    1,
    (postingsPerRange * packedPostings) / (packedPostings + unpackedPostings),
  );
  const cuts: string[] = [];
  let [after, inRange] = ['', 0];
  for (;;) {
    const page = (await sql.query(
      `SELECT term, postings FROM chunk_term_packs WHERE kb_id = $1 AND term > $2 ORDER BY term LIMIT ${PLANNING_PAGE}`,
      [scope.kbId, after],
    )) as Array<{ term: string; postings: number }>;
    for (const { term, postings } of page) {
      inRange += postings;
      if (inRange >= packedPerRange) {
        cuts.push(term);
        inRange = 0;
      }
    }
    if (page.length < PLANNING_PAGE) break;
    after = page[page.length - 1].term;
  }
  return rangesBetween(cuts);
}

/** Ranges of about `rowsPerRange` of the KB's rows each, found by walking its key `rowsPerRange` at a time. */
async function rowRanges(sql: SqlRunner, scope: KbScope, rowsPerRange: number): Promise<TermRange[]> {
  const cuts: string[] = [];
  for (;;) {
    const [next] = (await sql.query(
      `SELECT term FROM chunk_terms WHERE kb_id = $1 AND term > $2 ORDER BY term OFFSET $3 LIMIT 1`,
      [scope.kbId, cuts[cuts.length - 1] ?? '', rowsPerRange - 1],
    )) as Array<{ term: string }>;
    if (!next) return rangesBetween(cuts);
    cuts.push(next.term);
  }
}

/** The ranges up to each cut and the one after the last. */
const rangesBetween = (cuts: readonly string[]): TermRange[] =>
  [...cuts, undefined].map((upTo, i) => ({ after: cuts[i - 1], upTo }));

/**
 * One range's packing in one statement: the terms' rows and removals are taken out, their packs
 * rewritten without the removed chunks and with the rows' postings (emptied packs deleted), and
 * the KB's counts of what waits and what is packed moved by what changed.
 */
async function packRange(sql: SqlRunner, scope: KbScope, { after, upTo }: TermRange): Promise<void> {
  const params: unknown[] = [scope.kbId];
  const within = (column: string) =>
    [
      after === undefined ? '' : ` AND ${column} > $${params.push(after)}`,
      upTo === undefined ? '' : ` AND ${column} <= $${params.push(upTo)}`,
    ].join('');
  const [freshTerms, removedTerms, packedTerms] = [within('t.term'), within('r.term'), within('p.term')];
  await sql.query(
    `WITH fresh AS (
       DELETE FROM chunk_terms t WHERE t.kb_id = $1${freshTerms}
       RETURNING t.term, t.chunks, t.tfs
     ),
     removed AS (
       DELETE FROM chunk_term_removals r WHERE r.kb_id = $1${removedTerms}
       RETURNING r.term, r.chunks
     ),
     gone AS (SELECT r.term, g.chunk FROM removed r CROSS JOIN LATERAL unnest(r.chunks) AS g(chunk)),
     touched AS (SELECT term FROM fresh UNION SELECT term FROM removed),
     old AS (
       SELECT p.term, p.postings, p.chunks, p.tfs
       FROM chunk_term_packs p JOIN touched USING (term) WHERE p.kb_id = $1${packedTerms}
     ),
     posting AS (
       SELECT o.term, x.chunk, x.tf
       FROM old o CROSS JOIN LATERAL unnest(o.chunks, o.tfs) AS x(chunk, tf)
       WHERE NOT EXISTS (SELECT 1 FROM gone g WHERE g.term = o.term AND g.chunk = x.chunk)
       UNION ALL
       SELECT f.term, x.chunk, x.tf FROM fresh f CROSS JOIN LATERAL unnest(f.chunks, f.tfs) AS x(chunk, tf)
     ),
     pack AS (
       SELECT term, count(*)::integer AS postings, array_agg(chunk) AS chunks, array_agg(tf) AS tfs
       FROM posting GROUP BY term
     ),
     written AS (
       INSERT INTO chunk_term_packs AS p (kb_id, term, postings, chunks, tfs)
       SELECT $1, term, postings, chunks, tfs FROM pack
       ON CONFLICT (kb_id, term) DO UPDATE SET postings = excluded.postings, chunks = excluded.chunks,
         tfs = excluded.tfs
     ),
     emptied AS (
       DELETE FROM chunk_term_packs p USING old o
       WHERE p.kb_id = $1 AND p.term = o.term AND NOT EXISTS (SELECT 1 FROM pack k WHERE k.term = o.term)
     )
     UPDATE kb_text_stats s
     SET unpacked_rows = s.unpacked_rows - (SELECT count(*) FROM fresh) - (SELECT count(*) FROM removed),
       unpacked_postings = s.unpacked_postings - (SELECT coalesce(sum(cardinality(chunks)), 0) FROM fresh),
       packed_postings = s.packed_postings + (SELECT coalesce(sum(postings), 0) FROM pack)
         - (SELECT coalesce(sum(postings), 0) FROM old)
     WHERE s.kb_id = $1`,
    params,
  );
}
