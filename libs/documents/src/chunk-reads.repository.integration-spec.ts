import { describeOnEachDatabase } from '../../../test/support/migrated-sql';
import { insertChunk, insertDocument, insertKb } from '../../../test/support/sql-rows';
import { documentsMatching, readChunksWithTitles } from './chunk-reads.repository';

describeOnEachDatabase('what answers read of documents and chunks', (db) => {
  it("allows the KB's processed documents the filter names or whose metadata contains the filter's", async () => {
    const kb = await insertKb(db());
    const stranger = await insertKb(db(), kb.tenantId);
    const [legal, hr, pending, elsewhere] = [
      await insertDocument(db(), kb, 'processed'),
      await insertDocument(db(), kb, 'processed'),
      await insertDocument(db(), kb, 'pending'),
      await insertDocument(db(), stranger, 'processed'),
    ];
    for (const [id, team] of [
      [legal, 'legal'],
      [hr, 'hr'],
      [pending, 'legal'],
      [elsewhere, 'legal'],
    ]) {
      await db().query(`UPDATE documents SET metadata = $2::jsonb WHERE id = $1`, [
        id,
        JSON.stringify({ team }),
      ]);
    }
    const sorted = (ids: string[]) => [...ids].sort();

    expect(await documentsMatching(db(), kb, { metadata: { team: 'legal' } })).toEqual([legal]);
    expect(
      sorted(await documentsMatching(db(), kb, { documentIds: [legal, hr, pending, elsewhere] })),
    ).toEqual(sorted([legal, hr]));
    expect(await documentsMatching(db(), kb, { documentIds: [hr], metadata: { team: 'legal' } })).toEqual([]);
  });

  it("reads the KB's chunks with their document's title, never another KB's or a deleting document's", async () => {
    const kb = await insertKb(db());
    const other = await insertKb(db());
    const live = await insertDocument(db(), kb, 'processed');
    const deleting = await insertDocument(db(), kb, 'deleting');
    const foreign = await insertDocument(db(), other, 'processed');
    const wanted = await insertChunk(db(), kb, live, 0, 'the text');
    const ids = [
      wanted,
      await insertChunk(db(), kb, deleting, 0),
      await insertChunk(db(), other, foreign, 0),
    ];

    expect(await readChunksWithTitles(db(), kb, ids)).toEqual([
      { id: wanted, document_id: live, ordinal: 0, content: 'the text', token_count: 1, title: 'D' },
    ]);
    expect(await readChunksWithTitles(db(), kb, [])).toEqual([]);
  });
});
