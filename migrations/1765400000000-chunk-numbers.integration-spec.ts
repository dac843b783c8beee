import { randomUUID } from 'node:crypto';
import type { QueryRunner } from 'typeorm';
import { searchChunkTerms, type SqlClient } from '@strata/storage';
import { openMigratedSqlClient } from '../test/support/migrated-sql';
import { insertKb } from '../test/support/sql-rows';
import type { TestDatabaseKind } from '../test/support/test-database';
import { ChunkNumbers1765400000000 } from './1765400000000-chunk-numbers';
import { MIGRATIONS } from '@strata/migrations';

const migration = new ChunkNumbers1765400000000();
const asRunner = (db: SqlClient) => db as unknown as QueryRunner;

/**
 * A KB indexed in the shape before chunk numbers: document A's two chunks packed, with document
 * C's chunk packed beside them and C removed since; document B's chunk in a row.
 */
async function indexBeforeNumbers(db: SqlClient) {
  const kb = await insertKb(db);
  const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
  const [a1, a2, b1, c1] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
  await db.query(
    `INSERT INTO chunk_term_packs (kb_id, term, postings, document_ids, chunk_ids, tfs, chunk_lengths)
     VALUES ($1, 'flow', 3, $2::uuid[], $3::uuid[], '{2,1,1}', '{3,2,2}'),
            ($1, 'nozzl', 1, $4::uuid[], $5::uuid[], '{1}', '{3}')`,
    [kb.kbId, [a, a, c], [a1, a2, c1], [a], [a1]],
  );
  await db.query(`INSERT INTO chunk_term_removals (kb_id, term, document_id) VALUES ($1, 'flow', $2)`, [
    kb.kbId,
    c,
  ]);
  await db.query(
    `INSERT INTO chunk_terms (kb_id, term, document_id, chunk_ids, tfs, chunk_lengths)
     VALUES ($1, 'flow', $2, $3::uuid[], '{1}', '{2}'), ($1, 'wing', $2, $3::uuid[], '{1}', '{2}')`,
    [kb.kbId, b, [b1]],
  );
  await db.query('INSERT INTO chunk_term_documents (kb_id, document_id) VALUES ($1, $2), ($1, $3)', [
    kb.kbId,
    a,
    b,
  ]);
  await db.query(
    `INSERT INTO kb_text_stats (kb_id, tenant_id, chunk_count, term_count, unpacked_rows, unpacked_postings, packed_postings)
     VALUES ($1, $2, 3, 7, 3, 2, 4)`,
    [kb.kbId, kb.tenantId],
  );
  return { kb, documents: { a, b, c }, chunks: { a1, a2, b1 } };
}

function migrationSuite(kind: TestDatabaseKind, skipReason?: string): void {
  const describeOrSkip = skipReason ? describe.skip : describe;
  if (skipReason) process.stdout.write(`SKIPPING chunk numbers migration on ${kind}: ${skipReason}\n`);
  describeOrSkip(`chunk numbers migration (${kind})`, () => {
    let db: SqlClient;
    beforeAll(async () => {
      // The schema as it was just before this migration.
      db = await openMigratedSqlClient(kind, MIGRATIONS.indexOf(ChunkNumbers1765400000000));
    });
    afterAll(() => db.close());

    it('numbers the indexed chunks, packs every posting but the removed ones, and searches alike', async () => {
      const { kb, documents, chunks } = await indexBeforeNumbers(db);
      await migration.up(asRunner(db));

      const numbering = (await db.query(
        'SELECT number, chunk_id, document_id, length FROM chunk_numbers WHERE kb_id = $1 ORDER BY number',
        [kb.kbId],
      )) as Array<{ number: number; chunk_id: string; document_id: string; length: number }>;
      expect(numbering.map((n) => n.number)).toEqual([0, 1, 2]);
      const numberOf = new Map(numbering.map((n) => [n.chunk_id, n.number]));
      expect([...numberOf.keys()].sort()).toEqual([chunks.a1, chunks.a2, chunks.b1].sort());
      expect(numbering.find((n) => n.chunk_id === chunks.b1)).toMatchObject({
        document_id: documents.b,
        length: 2,
      });
      const packs = (await db.query(
        'SELECT term, postings, chunks, tfs FROM chunk_term_packs WHERE kb_id = $1 ORDER BY term',
        [kb.kbId],
      )) as Array<{ term: string; postings: number; chunks: number[]; tfs: number[] }>;
      const frequencies = (term: string) => {
        const pack = packs.find((p) => p.term === term)!;
        return new Map(pack.chunks.map((chunk, i) => [chunk, pack.tfs[i]]));
      };
      expect(packs.map((p) => [p.term, p.postings])).toEqual([
        ['flow', 3],
        ['nozzl', 1],
        ['wing', 1],
      ]);
      expect(frequencies('flow')).toEqual(
        new Map([
          [numberOf.get(chunks.a1), 2],
          [numberOf.get(chunks.a2), 1],
          [numberOf.get(chunks.b1), 1],
        ]),
      );
      expect(await db.query('SELECT 1 FROM chunk_terms WHERE kb_id = $1', [kb.kbId])).toEqual([]);
      expect(await db.query('SELECT 1 FROM chunk_term_removals WHERE kb_id = $1', [kb.kbId])).toEqual([]);
      expect(
        await db.query(
          `SELECT chunk_numbers, unpacked_rows::int, unpacked_postings::int, packed_postings::int
           FROM kb_text_stats WHERE kb_id = $1`,
          [kb.kbId],
        ),
      ).toEqual([{ chunk_numbers: 3, unpacked_rows: 0, unpacked_postings: 0, packed_postings: 5 }]);
      const hits = await searchChunkTerms(db, kb, 'nozzle flow', 10);
      // a1 holds both words; a2 and b1 "flow" once in two terms each, so tie (in chunk id order).
      expect(hits.map((h) => h.chunkId)).toEqual([chunks.a1, ...[chunks.a2, chunks.b1].sort()]);

      // And back: packs name documents, chunks and lengths again, the removed document left out.
      await migration.down(asRunner(db));
      const after = (await db.query(
        `SELECT term, document_ids, chunk_ids, tfs, chunk_lengths FROM chunk_term_packs WHERE kb_id = $1`,
        [kb.kbId],
      )) as Array<{ term: string; chunk_ids: string[]; document_ids: string[] }>;
      const flow = after.find((p) => p.term === 'flow')!;
      expect([...flow.chunk_ids].sort()).toEqual([chunks.a1, chunks.a2, chunks.b1].sort());
      expect(flow.document_ids).not.toContain(documents.c);
      expect(
        (await db.query('SELECT document_id FROM chunk_term_documents WHERE kb_id = $1', [kb.kbId])).length,
      ).toBe(2);
      await migration.up(asRunner(db));
    });
  });
}

migrationSuite('embedded');
migrationSuite('postgres', process.env.STRATA_PG_UNAVAILABLE);
