import { randomUUID } from 'node:crypto';
import type { KbScope } from '@strata/tenancy';
import { openMigratedSqlClient } from '../../../../test/support/migrated-sql';
import { testKbScope, testReaderScope } from '../../../../test/support/scopes';
import { insertChunk, insertKb, insertProcessedDocument } from '../../../../test/support/sql-rows';
import type { TestDatabaseKind } from '../../../../test/support/test-database';
import type { SqlClient } from '../vectors/sql-client';
import { indexDocumentTerms, unindexDocumentTerms } from './chunk-terms.repository';
import { mayBeLexemeOf, searchChunkTerms, searchChunkTermsAcross } from './chunk-text-search.adapter';
import { KbPostings, PostingsCache } from './postings-cache';

type Kb = KbScope;

/** A document with one chunk per text, indexed as ingestion does; its chunk ids in order. */
async function addDocument(
  db: SqlClient,
  kb: Kb,
  texts: string[],
): Promise<{ documentId: string; chunkIds: string[] }> {
  const documentId = await insertProcessedDocument(db, kb);
  const chunkIds: string[] = [];
  for (const [ordinal, text] of texts.entries())
    chunkIds.push(await insertChunk(db, kb, documentId, ordinal, text));
  await indexDocumentTerms(db, kb, documentId);
  return { documentId, chunkIds };
}

async function removeDocument(db: SqlClient, kb: Kb, documentId: string): Promise<void> {
  await unindexDocumentTerms(db, kb, documentId);
  await db.query('DELETE FROM chunks WHERE document_id = $1', [documentId]);
}

function textSearchSuite(kind: TestDatabaseKind, skipReason?: string): void {
  const describeOrSkip = skipReason ? describe.skip : describe;
  if (skipReason) process.stdout.write(`SKIPPING BM25 full text on ${kind}: ${skipReason}\n`);
  describeOrSkip(`BM25 full text (${kind})`, () => {
    let db: SqlClient;
    beforeAll(async () => {
      db = await openMigratedSqlClient(kind);
    });
    afterAll(() => db.close());

    it('weighs a rare term above a common one', async () => {
      const kb = await insertKb(db);
      const { chunkIds } = await addDocument(db, kb, [
        'pressure pressure and flow',
        'creep of the wing',
        'pressure on the tail',
        'pressure in the duct',
      ]);
      const hits = await searchChunkTerms(db, kb, 'pressure creep', 10);
      expect(hits[0].chunkId).toBe(chunkIds[1]);
      expect(hits.map((h) => h.chunkId)).toHaveLength(4);
    });

    it('leaves out the chunks of documents the scope hides, scoring the rest as before', async () => {
      const kb = await insertKb(db);
      await addDocument(db, kb, ['turbine blade cooling', 'blade root']);
      const hidden = await addDocument(db, kb, ['turbine blade fatigue']);
      const everyone = await searchChunkTerms(db, kb, 'turbine blade', 10);
      expect(everyone).toHaveLength(3);
      const reader = testReaderScope(kb.tenantId, kb.kbId, [hidden.documentId]);
      const seen = await searchChunkTerms(db, reader, 'turbine blade', 10);
      expect(seen.map((h) => h.chunkId)).toEqual(
        everyone.filter((h) => h.chunkId !== hidden.chunkIds[0]).map((h) => h.chunkId),
      );
      // The statistics still count every chunk: the same chunk scores the same for both.
      expect(seen[0].score).toBeCloseTo(everyone.find((h) => h.chunkId === seen[0].chunkId)!.score, 9);
      expect(await searchChunkTerms(db, reader, 'fatigue', 10)).toEqual([]);
      const [both] = await searchChunkTermsAcross(db, [reader], 'fatigue', 10, { feedbackChunks: 2 }).then(
        (h) => [h],
      );
      expect(both).toEqual([]);
    });

    it('scores exactly as BM25 over the KB (k1 1.2, b 0.75)', async () => {
      const kb = await insertKb(db);
      // Lexemes: "nozzl" ×2 + "flow" (3 terms); "nozzl" (1); "wing" "flap" (2). Mean length 2.
      const { chunkIds } = await addDocument(db, kb, ['nozzle nozzle flow', 'nozzle', 'wing flap']);
      const idf = Math.log(1 + (3 - 2 + 0.5) / (2 + 0.5));
      const weight = (tf: number, length: number) =>
        (idf * tf) / (tf + 1.2 * (1 - 0.75 + (0.75 * length) / 2));
      const hits = await searchChunkTerms(db, kb, 'nozzles', 10);
      // Length normalisation puts the one-word chunk first: 0.571·idf against 0.548·idf.
      expect(hits.map((h) => h.chunkId)).toEqual([chunkIds[1], chunkIds[0]]);
      expect(hits[0].score).toBeCloseTo(weight(1, 1), 6);
      expect(hits[1].score).toBeCloseTo(weight(2, 3), 6);
    });

    it("keeps a term's postings in chunk order, each frequency beside its chunk's number", async () => {
      const kb = await insertKb(db);
      // Lexemes per chunk: "flow" ×1 of 2, none, no term at all (stop words only: no number),
      // "flow" ×3 of 4, "flow" ×2 of 2.
      const { documentId, chunkIds } = await addDocument(db, kb, [
        'flow meter',
        'wing',
        'of the and',
        'flow flow flow duct',
        'flow flow',
      ]);
      const [row] = await db.query<{ chunks: number[]; tfs: number[] }>(
        `SELECT chunks, tfs FROM chunk_terms WHERE kb_id = $1 AND term = 'flow' AND document_id = $2`,
        [kb.kbId, documentId],
      );
      expect(row).toEqual({ chunks: [0, 2, 3], tfs: [1, 3, 2] });
      // The KB numbers the chunks in their order, each with its length in terms ("wing" is 1).
      expect(
        await db.query(
          'SELECT number, chunk_id, length FROM chunk_numbers WHERE kb_id = $1 ORDER BY number',
          [kb.kbId],
        ),
      ).toEqual([
        { number: 0, chunk_id: chunkIds[0], length: 2 },
        { number: 1, chunk_id: chunkIds[1], length: 1 },
        { number: 2, chunk_id: chunkIds[3], length: 4 },
        { number: 3, chunk_id: chunkIds[4], length: 2 },
      ]);
    });

    it("never counts another KB's chunks, and follows deletes", async () => {
      const kb = await insertKb(db);
      await addDocument(db, kb, ['shock wave in a nozzle', 'laminar boundary layer', 'shock tube data']);
      const before = await searchChunkTerms(db, kb, 'shock boundary layer', 10);

      const neighbour = await insertKb(db);
      const sameTenant = await insertKb(db, kb.tenantId);
      const noise = Array.from({ length: 60 }, (_, i) => `boundary layer shock number ${i}`);
      await addDocument(db, neighbour, noise);
      await addDocument(db, sameTenant, noise);
      expect(await searchChunkTerms(db, kb, 'shock boundary layer', 10)).toEqual(before);

      const added = await addDocument(db, kb, ['boundary layer boundary layer shock']);
      expect(await searchChunkTerms(db, kb, 'shock boundary layer', 10)).not.toEqual(before);
      await removeDocument(db, kb, added.documentId);
      const after = await searchChunkTerms(db, kb, 'shock boundary layer', 10);
      expect(after.map((h) => h.chunkId)).toEqual(before.map((h) => h.chunkId));
      after.forEach((hit, i) => expect(hit.score).toBeCloseTo(before[i].score, 9));
    });

    it('finds nothing through a KB id under another tenant', async () => {
      const kb = await insertKb(db);
      await addDocument(db, kb, ['supersonic inlet']);
      expect(await searchChunkTerms(db, kb, 'supersonic', 10)).toHaveLength(1);
      expect(await searchChunkTerms(db, testKbScope(randomUUID(), kb.kbId), 'supersonic', 10)).toEqual([]);
    });

    it('narrows to the given documents or chunks without changing the statistics', async () => {
      const kb = await insertKb(db);
      const first = await addDocument(db, kb, ['heat transfer in slabs']);
      const second = await addDocument(db, kb, ['heat transfer heat transfer', 'conduction']);
      const all = await searchChunkTerms(db, kb, 'heat transfer', 10);
      const narrowed = await searchChunkTerms(db, kb, 'heat transfer', 10, {
        documentIds: [first.documentId],
      });
      expect(narrowed.map((h) => h.chunkId)).toEqual(first.chunkIds);
      expect(narrowed[0].score).toBeCloseTo(all.find((h) => h.chunkId === first.chunkIds[0])!.score, 9);
      expect(await searchChunkTerms(db, kb, 'heat', 10, { documentIds: [] })).toEqual([]);
      const chosen = await searchChunkTerms(db, kb, 'heat transfer', 10, { chunkIds: second.chunkIds });
      expect(chosen.map((h) => h.chunkId)).toEqual([second.chunkIds[0]]);
      expect(chosen[0].score).toBeCloseTo(all.find((h) => h.chunkId === second.chunkIds[0])!.score, 9);
    });

    it('matches nothing for a question of stop words, and counts repeated words again', async () => {
      const kb = await insertKb(db);
      const { chunkIds } = await addDocument(db, kb, ['flutter of panels', 'buckling of shells', 'vortex']);
      expect(await searchChunkTerms(db, kb, 'what is the of and', 10)).toEqual([]);
      const once = await searchChunkTerms(db, kb, 'flutter buckling', 10);
      const twice = await searchChunkTerms(db, kb, 'flutter flutter buckling', 10);
      expect(once[0].score).toBeCloseTo(once[1].score, 9);
      expect(twice[0].chunkId).toBe(chunkIds[0]);
      expect(twice[0].score).toBeCloseTo(2 * once.find((h) => h.chunkId === chunkIds[0])!.score, 9);
    });

    it("with feedback, also finds chunks in the words of the question's best chunks", async () => {
      const kb = await insertKb(db);
      const nozzle = await addDocument(db, kb, ['nozzle flow with a shock and an expansion fan']);
      const duct = await addDocument(db, kb, ['shock and expansion fan in a duct']);
      await addDocument(db, kb, ['wing flutter at low speed', 'panel buckling']);
      expect((await searchChunkTerms(db, kb, 'nozzle', 10)).map((h) => h.chunkId)).toEqual(nozzle.chunkIds);

      const expanded = await searchChunkTerms(db, kb, 'nozzle', 10, { feedbackChunks: 10 });
      expect(expanded.map((h) => h.chunkId)).toEqual([...nozzle.chunkIds, ...duct.chunkIds]);
      expect(expanded[0].score).toBeGreaterThan(expanded[1].score);
      // The feedback comes from what the search may return: the duct's document alone has no nozzle.
      expect(
        await searchChunkTerms(db, kb, 'nozzle', 10, { feedbackChunks: 10, documentIds: [duct.documentId] }),
      ).toEqual([]);
      expect(await searchChunkTerms(db, kb, 'what is the of and', 10, { feedbackChunks: 10 })).toEqual([]);
    });

    it("with feedback, never takes words or statistics from another KB's chunks", async () => {
      const kb = await insertKb(db);
      await addDocument(db, kb, ['heated model of an aircraft', 'aeroelastic model tests', 'heat transfer']);
      const before = await searchChunkTerms(db, kb, 'heated aircraft model', 10, { feedbackChunks: 10 });
      expect(before.length).toBeGreaterThan(0);
      const noise = Array.from({ length: 40 }, (_, i) => `heated aircraft model transfer tests number ${i}`);
      await addDocument(db, await insertKb(db), noise);
      await addDocument(db, await insertKb(db, kb.tenantId), noise);
      const after = await searchChunkTerms(db, kb, 'heated aircraft model', 10, { feedbackChunks: 10 });
      expect(after.map((h) => h.chunkId)).toEqual(before.map((h) => h.chunkId));
      after.forEach((hit, i) => expect(hit.score).toBeCloseTo(before[i].score, 9));
      expect(
        await searchChunkTerms(db, testKbScope(randomUUID(), kb.kbId), 'heated aircraft model', 10, {
          feedbackChunks: 10,
        }),
      ).toEqual([]);
    });

    it('keeps postings between searches, reads only new terms, and follows every change', async () => {
      const kb = await insertKb(db);
      const cache = new PostingsCache(1_000_000);
      let postingsRead = 0;
      let cachedTermsSent: unknown[] = [];
      let numbersRead = 0;
      const counting = {
        query: async (text: string, params?: unknown[]) => {
          // The terms it says are cached: the statement's only list (no feedback asked).
          cachedTermsSent = (params ?? []).filter(Array.isArray).flat();
          // Postings read: a term's rows come back as one row listing their chunks.
          const rows = (await db.query(text, params)) as Array<{
            chunks?: string | null;
            numbers?: string | null;
          }>;
          postingsRead += rows.reduce((sum, row) => sum + (row.chunks?.split(' ').length ?? 0), 0);
          numbersRead += rows.reduce((sum, row) => sum + (row.numbers?.split(' ').length ?? 0), 0);
          return rows;
        },
      };
      const search = (query: string, options = {}) =>
        searchChunkTerms(counting, kb, query, 10, options, cache);
      const fresh = (query: string, options = {}) => searchChunkTerms(db, kb, query, 10, options);
      await addDocument(db, kb, ['supersonic inlet flow', 'subsonic diffuser flow']);
      await addDocument(db, kb, ['inlet buzz']);

      expect(await search('supersonic inlet')).toEqual(await fresh('supersonic inlet'));
      expect(postingsRead).toBe(3);
      expect(numbersRead).toBe(3);
      postingsRead = 0;
      expect(await search('inlet supersonic')).toEqual(await fresh('supersonic inlet'));
      expect(await search('inlet flow')).toEqual(await fresh('inlet flow'));
      // Only "flow" is read: its two chunks.
      expect(postingsRead).toBe(2);
      // Of the cached terms, only those the question's words may stem to are named.
      expect(cachedTermsSent).toEqual(['inlet']);

      // A new document and a removed one move the KB's version on: every posting is read again,
      // but of the chunk numbers only the new document's.
      expect(numbersRead).toBe(3);
      const added = await addDocument(db, kb, ['inlet inlet unstart']);
      expect(await search('supersonic inlet')).toEqual(await fresh('supersonic inlet'));
      expect(numbersRead).toBe(4);
      expect((await search('supersonic inlet')).map((h) => h.chunkId)).toContain(added.chunkIds[0]);
      await removeDocument(db, kb, added.documentId);
      expect(await search('supersonic inlet')).toEqual(await fresh('supersonic inlet'));
      expect(await search('inlet', { feedbackChunks: 10 })).toEqual(
        await fresh('inlet', { feedbackChunks: 10 }),
      );

      // Cached postings answer no other scope: the KB id under another tenant finds nothing.
      const elsewhere = testKbScope(randomUUID(), kb.kbId);
      expect(await searchChunkTerms(db, elsewhere, 'supersonic inlet', 10, {}, cache)).toEqual([]);
    });

    it('finds every cached term when the cache lets the KB go while its statement runs', async () => {
      const kb = await insertKb(db);
      await addDocument(db, kb, ['supersonic inlet flow', 'inlet buzz']);
      const expected = await searchChunkTerms(db, kb, 'supersonic inlet', 10);
      // Room for the KB's 3 postings, but not beside two others of 10 of its tenant.
      const cache = new PostingsCache(20);
      expect(await searchChunkTerms(db, kb, 'supersonic inlet', 10, {}, cache)).toEqual(expected);
      const crowding = {
        query: async (text: string, params?: unknown[]) => {
          for (const other of [
            testKbScope(kb.tenantId, randomUUID()),
            testKbScope(kb.tenantId, randomUUID()),
          ]) {
            const postings = new KbPostings('1');
            const numbers = new Int32Array(10);
            postings.add('t', { chunks: numbers, tfs: numbers });
            cache.keep(other, postings);
          }
          return db.query(text, params);
        },
      };
      expect(await searchChunkTerms(crowding, kb, 'supersonic inlet', 10, {}, cache)).toEqual(expected);
      expect(await searchChunkTerms(db, kb, 'supersonic inlet', 10, {}, cache)).toEqual(expected);
    });

    it("tells the statement of every cached term PostgreSQL's lexemes of a question may be", async () => {
      const questions = [
        'What similarity laws must be obeyed when constructing aeroelastic models?',
        "Can't the heated high-speed aircraft's wings flutter at Mach 2.5?",
        'Agreed: flying, flies and flew; happily generalized théories of Über-flows',
        'see https://example.com/papers/wing.html or mail ops@example.org about 3-D inlets',
      ];
      for (const question of questions) {
        const rows = (await db.query(`SELECT lexeme FROM unnest(to_tsvector('english', $1))`, [
          question,
        ])) as Array<{ lexeme: string }>;
        const missed = rows.map((r) => r.lexeme).filter((lexeme) => !mayBeLexemeOf(question)(lexeme));
        expect({ question, missed }).toEqual({ question, missed: [] });
      }
      // And not every term: a word the question does not start leaves its term out.
      expect(mayBeLexemeOf('supersonic inlet')('flow')).toBe(false);
    });

    it('ranks several KBs as one collection: their statistics pooled, each hit naming its KB', async () => {
      const texts = [
        'supersonic inlet pressure',
        'subsonic diffuser flow',
        'inlet buzz at supersonic speed',
        'boundary layer bleed at the inlet',
        'pressure recovery of the diffuser',
        'wing flutter',
        'inlet unstart',
      ];
      const whole = await insertKb(db);
      const wholeIds = (await addDocument(db, whole, texts)).chunkIds;
      const a = await insertKb(db);
      const b = await insertKb(db, a.tenantId);
      // The same chunks split between two KBs, each its own document.
      const split: Array<{ kb: Kb; id: string; text: string }> = [];
      for (const [i, text] of texts.entries()) {
        const kb = i % 2 === 0 ? a : b;
        split.push({ kb, id: (await addDocument(db, kb, [text])).chunkIds[0], text });
      }
      for (const feedbackChunks of [0, 3]) {
        const one = await searchChunkTerms(db, whole, 'supersonic inlet pressure', 10, { feedbackChunks });
        const across = await searchChunkTermsAcross(db, [a, b], 'supersonic inlet pressure', 10, {
          feedbackChunks,
        });
        // The same texts in the same order with the same scores: one collection's BM25.
        const textOf = new Map([
          ...wholeIds.map((id, i) => [id, texts[i]] as const),
          ...split.map((c) => [c.id, c.text] as const),
        ]);
        expect(across.map((h) => textOf.get(h.chunkId))).toEqual(one.map((h) => textOf.get(h.chunkId)));
        across.forEach((hit, i) => expect(hit.score).toBeCloseTo(one[i].score, 6));
        for (const hit of across) expect(hit.kbId).toBe(split.find((c) => c.id === hit.chunkId)!.kb.kbId);
      }
      // Another tenant's KB named by mistake holds nothing of this tenant's: it adds no statistics.
      const stranger = await insertKb(db);
      await addDocument(db, stranger, ['supersonic supersonic supersonic']);
      const strangerInA = testKbScope(a.tenantId, stranger.kbId);
      const guarded = await searchChunkTermsAcross(db, [a, strangerInA], 'supersonic', 10);
      expect(guarded.every((hit) => hit.kbId === a.kbId)).toBe(true);
      expect(await searchChunkTermsAcross(db, [a, b], 'supersonic', 10, { documentIds: [] })).toEqual([]);
    });

    it("removes the postings of a KB with the KB, and leaves its neighbour's", async () => {
      const kb = await insertKb(db);
      const neighbour = await insertKb(db, kb.tenantId);
      await addDocument(db, kb, ['transonic flow']);
      await addDocument(db, neighbour, ['transonic flow']);
      await db.query('DELETE FROM knowledge_bases WHERE id = $1', [kb.kbId]);
      expect(await db.query('SELECT 1 FROM chunk_terms WHERE kb_id = $1', [kb.kbId])).toEqual([]);
      expect(await db.query('SELECT 1 FROM kb_text_stats WHERE kb_id = $1', [kb.kbId])).toEqual([]);
      expect(await searchChunkTerms(db, neighbour, 'transonic', 10)).toHaveLength(1);
    });

    it('removes the postings of every KB of a deleted tenant (through the cascade to its KBs)', async () => {
      const kb = await insertKb(db);
      const other = await insertKb(db, kb.tenantId);
      const elsewhere = await insertKb(db);
      for (const k of [kb, other, elsewhere]) await addDocument(db, k, ['supersonic inlet']);
      await db.query('DELETE FROM tenants WHERE id = $1', [kb.tenantId]);
      expect(
        await db.query('SELECT 1 FROM chunk_terms WHERE kb_id = ANY($1::uuid[])', [[kb.kbId, other.kbId]]),
      ).toEqual([]);
      expect(await searchChunkTerms(db, elsewhere, 'supersonic', 10)).toHaveLength(1);
    });
  });
}

textSearchSuite('embedded');
textSearchSuite('postgres', process.env.STRATA_PG_UNAVAILABLE);
