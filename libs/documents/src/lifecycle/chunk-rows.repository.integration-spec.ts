import { randomUUID } from 'node:crypto';
import { searchChunkTerms } from '@strata/storage';
import { describeOnEachDatabase } from '../../../../test/support/migrated-sql';
import { insertDocument, insertKb, sqlAsDataSource } from '../../../../test/support/sql-rows';
import { type ChunkRow, replaceChunkRows } from './chunk-rows.repository';

const chunkRows = (texts: string[]): ChunkRow[] =>
  texts.map((content, ordinal) => ({ id: randomUUID(), ordinal, content, tokenCount: 3, heading: null }));

describeOnEachDatabase('replaceChunkRows', (db) => {
  it("replaces a document's chunks and postings, and its KB finds the new ones only", async () => {
    const sql = db();
    const kb = await insertKb(sql);
    const documentId = await insertDocument(sql, kb, 'processing');
    await replaceChunkRows(
      sqlAsDataSource(sql),
      kb,
      documentId,
      chunkRows(['supersonic inlet', 'inlet buzz']),
    );
    const second = chunkRows(['transonic buffet']);
    await replaceChunkRows(sqlAsDataSource(sql), kb, documentId, second);
    expect(await searchChunkTerms(sql, kb, 'inlet', 10)).toEqual([]);
    expect((await searchChunkTerms(sql, kb, 'transonic buffet', 10)).map((h) => h.chunkId)).toEqual([
      second[0].id,
    ]);
    const [{ chunks }] = await sql.query<{ chunks: number }>(
      'SELECT chunk_count AS chunks FROM kb_text_stats WHERE kb_id = $1',
      [kb.kbId],
    );
    expect(Number(chunks)).toBe(1);
  });
});
