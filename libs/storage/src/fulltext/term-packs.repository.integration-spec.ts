import type { KbScope } from '@strata/tenancy';
import { openMigratedSqlClient } from '../../../../test/support/migrated-sql';
import {
  insertChunk,
  insertKb,
  insertProcessedDocument,
  sqlAsDataSource,
} from '../../../../test/support/sql-rows';
import type { TestDatabaseKind } from '../../../../test/support/test-database';
import type { SqlClient } from '../vectors/sql-client';
import { indexDocumentTerms, TERM_ROWS_PER_STATEMENT, unindexDocumentTerms } from './chunk-terms.repository';
import { searchChunkTerms, type TextSearchOptions } from './chunk-text-search.adapter';
import { PostingsCache } from './postings-cache';
import { packTerms, packTermsWhenDue } from './term-packs.repository';

const TEXTS = [
  ['shock wave in a nozzle', 'laminar boundary layer on a flat plate', 'shock tube data'],
  ['boundary layer transition at supersonic speed', 'heat transfer in the boundary layer'],
  ['flutter of panels in supersonic flow'],
  ['nozzle flow with a shock and an expansion fan', 'expansion fan in a duct', 'duct flow losses'],
];
const QUESTIONS = ['shock boundary layer', 'supersonic nozzle flow', 'heat transfer', 'expansion duct'];

function packingSuite(kind: TestDatabaseKind, skipReason?: string): void {
  const describeOrSkip = skipReason ? describe.skip : describe;
  if (skipReason) process.stdout.write(`SKIPPING packed postings on ${kind}: ${skipReason}\n`);
  describeOrSkip(`packed postings (${kind})`, () => {
    let db: SqlClient;
    beforeAll(async () => {
      db = await openMigratedSqlClient(kind);
    });
    afterAll(() => db.close());

    /** A document with one chunk per text (the ids given, or new), indexed as ingestion does. */
    async function addDocument(kb: KbScope, texts: string[], documentId?: string): Promise<string> {
      const id = documentId ?? (await insertProcessedDocument(db, kb));
      for (const [ordinal, text] of texts.entries()) await insertChunk(db, kb, id, ordinal, text);
      await indexDocumentTerms(db, kb, id);
      return id;
    }

    async function removeDocument(kb: KbScope, documentId: string): Promise<void> {
      await unindexDocumentTerms(db, kb, documentId);
      await db.query('DELETE FROM chunks WHERE document_id = $1', [documentId]);
    }

    let packingStatements = 0;
    const pack = (kb: KbScope, postingsPerStatement?: number) =>
      packTerms(
        sqlAsDataSource({
          ...db,
          query: (text: string, params?: unknown[]) => {
            if (text.includes('INSERT INTO chunk_term_packs')) packingStatements++;
            return db.query(text, params);
          },
        }),
        kb,
        postingsPerStatement,
      );

    const packs = (kb: KbScope) =>
      db.query('SELECT term, postings FROM chunk_term_packs WHERE kb_id = $1 ORDER BY term', [kb.kbId]);

    async function countingStatements(work: () => Promise<void>): Promise<number> {
      packingStatements = 0;
      await work();
      return packingStatements;
    }

    /** Every question's hits, plain and with feedback. */
    async function answers(kb: KbScope, cache?: PostingsCache) {
      const all: unknown[] = [];
      for (const question of QUESTIONS)
        for (const options of [{}, { feedbackChunks: 3 }] as TextSearchOptions[])
          all.push(await searchChunkTerms(db, kb, question, 10, options, cache));
      return all;
    }

    const rowsOf = async (table: string, kb: KbScope) =>
      Number(
        (await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table} WHERE kb_id = $1`, [kb.kbId]))[0]
          .n,
      );

    /** The KB's text statistics, as numbers (PGlite and pg differ in how they return bigint). */
    const stats = async (kb: KbScope) => {
      const [row] = await db.query<Record<string, string | number>>(
        `SELECT chunk_count, term_count, unpacked_rows, unpacked_postings, packed_postings
         FROM kb_text_stats WHERE kb_id = $1`,
        [kb.kbId],
      );
      return Object.fromEntries(Object.entries(row).map(([key, value]) => [key, Number(value)]));
    };

    it('finds the same chunks with the same scores once packed, and counts what it packed', async () => {
      const kb = await insertKb(db);
      for (const texts of TEXTS) await addDocument(kb, texts);
      const before = await answers(kb);
      const rows = await rowsOf('chunk_terms', kb);
      expect(rows).toBeGreaterThan(20);

      await pack(kb);
      expect(await rowsOf('chunk_terms', kb)).toBe(0);
      const [{ n: postings }] = await db.query<{ n: string }>(
        'SELECT sum(postings) AS n FROM chunk_term_packs WHERE kb_id = $1',
        [kb.kbId],
      );
      expect(await stats(kb)).toMatchObject({
        unpacked_rows: 0,
        unpacked_postings: 0,
        packed_postings: Number(postings),
      });
      expect(await answers(kb)).toEqual(before);

      // Half packed, half rows: a later document's postings join the packs' at search time.
      await addDocument(kb, ['supersonic shock in a duct']);
      const mixed = await answers(kb);
      expect(mixed).not.toEqual(before);
      await pack(kb);
      expect(await answers(kb)).toEqual(mixed);
    });

    it("cuts a KB's first packing into ranges of rows", async () => {
      const [whole, ranged] = [await insertKb(db), await insertKb(db)];
      for (const kb of [whole, ranged]) for (const texts of TEXTS) await addDocument(kb, texts);
      const before = await answers(ranged);
      const rows = await rowsOf('chunk_terms', ranged);
      await pack(whole);
      const statements = await countingStatements(() => pack(ranged, 4));
      expect(statements).toBeGreaterThanOrEqual(rows / 4 / 2);
      expect(await packs(ranged)).toEqual(await packs(whole));
      expect(await answers(ranged)).toEqual(before);
    });

    it('packs in ranges of terms to the same result', async () => {
      const [whole, ranged] = [await insertKb(db), await insertKb(db)];
      for (const kb of [whole, ranged]) {
        const [first] = [await addDocument(kb, TEXTS[0]), await addDocument(kb, TEXTS[1])];
        await pack(kb);
        for (const texts of TEXTS.slice(2)) await addDocument(kb, texts);
        await removeDocument(kb, first);
      }
      const before = await answers(ranged);
      await pack(whole);
      const statements = await countingStatements(() => pack(ranged, 3));
      // Cut where the packs' postings lie: several statements, each within its range.
      expect(statements).toBeGreaterThan(3);
      expect(await packs(ranged)).toEqual(await packs(whole));
      expect(await stats(ranged)).toEqual(await stats(whole));
      expect(await stats(ranged)).toMatchObject({ unpacked_rows: 0, unpacked_postings: 0 });
      expect(await answers(ranged)).toEqual(before);
    });

    it('leaves a removed document out of search at once, and out of the packs at the next packing', async () => {
      const kb = await insertKb(db);
      for (const texts of TEXTS) await addDocument(kb, texts);
      const before = await answers(kb);
      const statsBefore = await stats(kb);
      const removed = await addDocument(kb, [
        'shock shock boundary layer',
        'supersonic nozzle heat transfer',
      ]);
      await pack(kb);
      const removedChunks = (
        (await db.query('SELECT number FROM chunk_numbers WHERE kb_id = $1 AND document_id = $2', [
          kb.kbId,
          removed,
        ])) as Array<{ number: number }>
      ).map((row) => row.number);
      expect(removedChunks).toHaveLength(2);

      await removeDocument(kb, removed);
      expect(await db.query('SELECT 1 FROM chunk_numbers WHERE document_id = $1', [removed])).toEqual([]);
      expect(await rowsOf('chunk_term_removals', kb)).toBeGreaterThan(0);
      const after = (await answers(kb)) as Array<Array<{ chunkId: string; score: number }>>;
      expect(after.map((hits) => hits.map((h) => h.chunkId))).toEqual(
        (before as typeof after).map((hits) => hits.map((h) => h.chunkId)),
      );
      after
        .flat()
        .forEach((hit, i) => expect(hit.score).toBeCloseTo((before as typeof after).flat()[i].score, 9));
      expect(await stats(kb)).toMatchObject({
        chunk_count: statsBefore.chunk_count,
        term_count: statsBefore.term_count,
      });

      await pack(kb);
      expect(await rowsOf('chunk_term_removals', kb)).toBe(0);
      expect(
        await db.query('SELECT term FROM chunk_term_packs WHERE kb_id = $1 AND chunks && $2::integer[]', [
          kb.kbId,
          removedChunks,
        ]),
      ).toEqual([]);
      expect(await answers(kb)).toEqual(after);
      expect(await stats(kb)).toMatchObject({ unpacked_rows: 0 });
    });

    it('finds a packed document re-ingested under its id by its new text only', async () => {
      const kb = await insertKb(db);
      for (const texts of TEXTS) await addDocument(kb, texts);
      const document = await addDocument(kb, ['hypersonic glider re-entry']);
      await pack(kb);

      await removeDocument(kb, document);
      await addDocument(kb, ['hypersonic inlet unstart'], document);
      const found = async (question: string) =>
        (await searchChunkTerms(db, kb, question, 10)).map((hit) => hit.chunkId);
      const [newChunk] = await db.query<{ id: string }>('SELECT id FROM chunks WHERE document_id = $1', [
        document,
      ]);
      expect(await found('glider re-entry')).toEqual([]);
      expect(await found('hypersonic unstart')).toEqual([newChunk.id]);
      await pack(kb);
      expect(await found('glider re-entry')).toEqual([]);
      expect(await found('hypersonic unstart')).toEqual([newChunk.id]);
    });

    it('removes nothing for a document whose chunks went in without their postings', async () => {
      const kb = await insertKb(db);
      await addDocument(kb, ['shock tube data']);
      const before = await stats(kb);
      const crashed = await insertProcessedDocument(db, kb);
      await insertChunk(db, kb, crashed, 0, 'shock wave in a nozzle');
      await removeDocument(kb, crashed);
      expect(await stats(kb)).toEqual(before);
      expect(await rowsOf('chunk_term_removals', kb)).toBe(0);
    });

    /** Texts of `chunks` chunks with `perChunk` words each, every word a term of its own. */
    const manyTerms = (chunks: number, perChunk: number) =>
      Array.from({ length: chunks }, (_, c) =>
        Array.from({ length: perChunk }, (_, w) => `zq${c * perChunk + w}x`).join(' '),
      );

    /** What the KB's counts of waiting rows and postings should be, from its rows. */
    const waitingFromRows = async (kb: KbScope) => {
      const [row] = await db.query<Record<string, string | number>>(
        `SELECT (SELECT count(*) FROM chunk_terms WHERE kb_id = $1)
                + (SELECT count(*) FROM chunk_term_removals WHERE kb_id = $1) AS unpacked_rows,
                (SELECT coalesce(sum(cardinality(chunks)), 0) FROM chunk_terms WHERE kb_id = $1) AS unpacked_postings`,
        [kb.kbId],
      );
      return { unpacked_rows: Number(row.unpacked_rows), unpacked_postings: Number(row.unpacked_postings) };
    };

    it("writes a document's terms a bounded number at a time, all found and all counted", async () => {
      const kb = await insertKb(db);
      const id = await insertProcessedDocument(db, kb);
      const texts = manyTerms(3, 300);
      for (const [ordinal, text] of texts.entries()) await insertChunk(db, kb, id, ordinal, text);
      const termStatements: number[] = [];
      await indexDocumentTerms(
        {
          query: (text: string, params?: unknown[]) => {
            if (text.includes('INSERT INTO chunk_terms'))
              termStatements.push((params![3] as string[]).length);
            return db.query(text, params);
          },
        },
        kb,
        id,
      );
      expect(termStatements).toEqual([
        TERM_ROWS_PER_STATEMENT,
        TERM_ROWS_PER_STATEMENT,
        900 - 2 * TERM_ROWS_PER_STATEMENT,
      ]);
      expect(await rowsOf('chunk_terms', kb)).toBe(900);
      expect(await stats(kb)).toMatchObject({
        chunk_count: 3,
        term_count: 900,
        ...(await waitingFromRows(kb)),
      });
      const [last] = await db.query<{ id: string }>(
        'SELECT id FROM chunks WHERE document_id = $1 AND ordinal = 2',
        [id],
      );
      expect((await searchChunkTerms(db, kb, 'zq899x', 10)).map((hit) => hit.chunkId)).toEqual([last.id]);
    });

    it('recovers from a crash between term statements: removed, added again, counts as the rows say', async () => {
      const kb = await insertKb(db);
      await addDocument(kb, ['shock tube data']);
      const before = await stats(kb);
      const id = await insertProcessedDocument(db, kb);
      const texts = manyTerms(2, 300);
      for (const [ordinal, text] of texts.entries()) await insertChunk(db, kb, id, ordinal, text);
      let termStatements = 0;
      const crashing = {
        query: (text: string, params?: unknown[]) => {
          if (text.includes('INSERT INTO chunk_terms') && ++termStatements === 2)
            return Promise.reject(new Error('killed'));
          return db.query(text, params);
        },
      };
      await expect(indexDocumentTerms(crashing, kb, id)).rejects.toThrow('killed');
      expect(await rowsOf('chunk_terms', kb)).toBeGreaterThan(0);

      // The next attempt: the document's chunks and index entries go, then come again.
      await removeDocument(kb, id);
      expect(await stats(kb)).toMatchObject({
        chunk_count: before.chunk_count,
        term_count: before.term_count,
        ...(await waitingFromRows(kb)),
      });
      await addDocument(kb, texts, id);
      expect(await stats(kb)).toMatchObject({
        chunk_count: before.chunk_count + 2,
        ...(await waitingFromRows(kb)),
      });
      const found = await searchChunkTerms(db, kb, 'zq0x zq599x', 10);
      expect(found).toHaveLength(2);

      await pack(kb);
      expect(await rowsOf('chunk_term_removals', kb)).toBe(0);
      expect(await stats(kb)).toMatchObject({ unpacked_rows: 0, unpacked_postings: 0 });
      expect(await searchChunkTerms(db, kb, 'zq0x zq599x', 10)).toEqual(found);
    });

    it("packs one KB without touching another's rows, packs or answers", async () => {
      const kb = await insertKb(db);
      const neighbour = await insertKb(db, kb.tenantId);
      for (const k of [kb, neighbour]) for (const texts of TEXTS) await addDocument(k, texts);
      const neighbourRows = await rowsOf('chunk_terms', neighbour);
      const neighbourAnswers = await answers(neighbour);
      await pack(kb);
      expect(await rowsOf('chunk_terms', neighbour)).toBe(neighbourRows);
      expect(await rowsOf('chunk_term_packs', neighbour)).toBe(0);
      expect(await answers(neighbour)).toEqual(neighbourAnswers);
      // The KB id under another tenant packs nothing.
      await pack(
        await insertKb(db).then((other) => ({ tenantId: other.tenantId, kbId: neighbour.kbId }) as KbScope),
      );
      expect(await rowsOf('chunk_terms', neighbour)).toBe(neighbourRows);
    });

    it('keeps cached postings valid through a packing (the KB does not change)', async () => {
      const kb = await insertKb(db);
      for (const texts of TEXTS) await addDocument(kb, texts);
      const cache = new PostingsCache(1_000_000);
      const before = await answers(kb, cache);
      const version = cache.peek(kb)?.version;
      await pack(kb);
      expect(await answers(kb, cache)).toEqual(before);
      expect(cache.peek(kb)?.version).toBe(version);
    });

    it('packs only once the unpacked rows are due', async () => {
      const kb = await insertKb(db);
      for (const texts of TEXTS) await addDocument(kb, texts);
      await packTermsWhenDue(sqlAsDataSource(db), kb);
      expect(await rowsOf('chunk_term_packs', kb)).toBe(0);
      // Rows listing four chunks each or more are as cheap to read as packs: left as they are.
      await db.query(
        'UPDATE kb_text_stats SET unpacked_rows = 20000, unpacked_postings = 80001 WHERE kb_id = $1',
        [kb.kbId],
      );
      await packTermsWhenDue(sqlAsDataSource(db), kb);
      expect(await rowsOf('chunk_term_packs', kb)).toBe(0);
      await db.query('UPDATE kb_text_stats SET unpacked_postings = 20000 WHERE kb_id = $1', [kb.kbId]);
      await packTermsWhenDue(sqlAsDataSource(db), kb);
      expect(await rowsOf('chunk_terms', kb)).toBe(0);
      expect(await rowsOf('chunk_term_packs', kb)).toBeGreaterThan(0);
    });

    it('removes the packs, removals and index entries of a deleted KB', async () => {
      const kb = await insertKb(db);
      const removed = await addDocument(kb, ['transonic flow']);
      await addDocument(kb, ['transonic buffet']);
      await pack(kb);
      await removeDocument(kb, removed);
      await db.query('DELETE FROM knowledge_bases WHERE id = $1', [kb.kbId]);
      for (const table of ['chunk_terms', 'chunk_term_packs', 'chunk_term_removals', 'chunk_numbers'])
        expect(await rowsOf(table, kb)).toBe(0);
    });
  });
}

packingSuite('embedded');
packingSuite('postgres', process.env.STRATA_PG_UNAVAILABLE);
