import { describeOnEachDatabase } from '../../../../test/support/migrated-sql';
import { insertChunk, insertDocument, insertKb, sqlAsDataSource } from '../../../../test/support/sql-rows';
import { indexDocumentTerms, type SqlClient } from '@strata/storage';
import type { KbScope, Principal } from '@strata/tenancy';
import { DocumentDeletions } from '../deletion/document-deletions.repository';
import { DocumentRemovalRepository, markDocumentsDeleting } from './document-removal.repository';
import type { EntityManager } from 'typeorm';

async function documentWithChunks(sql: SqlClient, kb: KbScope, status: string): Promise<string> {
  const id = await insertDocument(sql, kb, status);
  await insertChunk(sql, kb, id, 0, 'turbine blade cooling');
  await insertChunk(sql, kb, id, 1, 'blade fatigue');
  await indexDocumentTerms(sql, kb, id);
  return id;
}

const rowsOf = async (sql: SqlClient, kb: KbScope) => {
  const [counts] = await sql.query<{ documents: number; chunks: number; postings: number }>(
    `SELECT (SELECT count(*)::int FROM documents WHERE kb_id = $1) AS documents,
       (SELECT count(*)::int FROM chunks WHERE kb_id = $1) AS chunks,
       (SELECT count(*)::int FROM chunk_terms WHERE kb_id = $1) AS postings`,
    [kb.kbId],
  );
  return counts;
};

describeOnEachDatabase('DocumentRemovalRepository', (db) => {
  it('removes a document marked deleting with its chunks and postings, and nothing else', async () => {
    const sql = db();
    const kb = await insertKb(sql);
    const neighbour = await insertKb(sql, kb.tenantId);
    const removal = new DocumentRemovalRepository(sqlAsDataSource(sql));
    const deleting = await documentWithChunks(sql, kb, 'deleting');
    const kept = await documentWithChunks(sql, kb, 'processed');
    const theirs = await documentWithChunks(sql, neighbour, 'deleting');
    const before = await rowsOf(sql, kb);

    expect(await removal.deletingIds(kb, 10)).toEqual([deleting]);

    await removal.removeRows(kb, deleting);
    await removal.removeRows(kb, kept);
    await removal.removeRows(kb, theirs);

    const after = await rowsOf(sql, kb);
    expect(after.documents).toBe(before.documents - 1);
    expect(after.chunks).toBe(before.chunks - 2);
    expect(after.postings).toBeLessThan(before.postings);
    expect(after.postings).toBeGreaterThan(0);
    expect(await removal.deletingIds(kb, 10)).toEqual([]);
    expect(await removal.deletingIds(neighbour, 10)).toEqual([theirs]);
    expect(await rowsOf(sql, neighbour)).toMatchObject({ documents: 1, chunks: 2 });
    // Removing again changes nothing: a crashed job repeats it.
    await removal.removeRows(kb, deleting);
    expect(await rowsOf(sql, kb)).toEqual(after);
  });

  it('completes a receipt with the removal of its last document, in the same transaction', async () => {
    const sql = db();
    const kb = await insertKb(sql);
    const removal = new DocumentRemovalRepository(sqlAsDataSource(sql));
    const [first, second] = [
      await insertDocument(sql, kb, 'deleting'),
      await insertDocument(sql, kb, 'deleting'),
    ];
    const receipt = await DocumentDeletions.record(sql, kb, [first, second], {
      type: 'system',
      id: 'test',
    } as Principal);
    const completedAt = async () => (await DocumentDeletions.find(sql, kb, receipt))!.completedAt;
    await removal.removeRows(kb, first);
    expect(await completedAt()).toBeNull();
    await removal.removeRows(kb, second);
    expect(await completedAt()).toBeInstanceOf(Date);
  });

  it("marks the given documents of the KB, or all of them, for deletion; never another KB's", async () => {
    const sql = db();
    const kb = await insertKb(sql);
    const neighbour = await insertKb(sql, kb.tenantId);
    const first = await insertDocument(sql, kb, 'processed');
    const second = await insertDocument(sql, kb, 'failed');
    const already = await insertDocument(sql, kb, 'deleting');
    const theirs = await insertDocument(sql, neighbour, 'processed');
    const manager = sql as unknown as EntityManager;

    const one = await markDocumentsDeleting(manager, kb, [first, already, theirs]);
    expect(one).toEqual([{ id: first, title: 'D' }]);
    const rest = await markDocumentsDeleting(manager, kb, 'all');
    expect(rest).toEqual([{ id: second, title: 'D' }]);
    const statuses = await sql.query<{ id: string; status: string }>('SELECT id, status FROM documents');
    const byId = new Map(statuses.map((r) => [r.id, r.status]));
    expect([byId.get(first), byId.get(second), byId.get(already)]).toEqual([
      'deleting',
      'deleting',
      'deleting',
    ]);
    expect(byId.get(theirs)).toBe('processed');
  });
});
