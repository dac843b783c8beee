import { describeOnEachDatabase } from '../../../../test/support/migrated-sql';
import { insertDocument, insertKb } from '../../../../test/support/sql-rows';
import { unfinishedDocumentJobs } from './unfinished-documents.repository';

describeOnEachDatabase('unfinished document jobs', (db) => {
  it('finds pending, deleting and lapsed documents, each as the job that finishes it', async () => {
    const kb = await insertKb(db());
    const pending = await insertDocument(db(), kb, 'pending');
    await insertDocument(db(), kb, 'deleting');
    const lapsed = await insertDocument(db(), kb, 'processing');
    const live = await insertDocument(db(), kb, 'processing');
    await insertDocument(db(), kb, 'processed');
    await insertDocument(db(), kb, 'failed');
    await db().query(
      `UPDATE documents SET attempts = 3, lease_expires_at = now() - interval '1 second' WHERE id = $1`,
      [lapsed],
    );
    await db().query(
      `UPDATE documents SET attempts = 1, lease_expires_at = now() + interval '1 minute' WHERE id = $1`,
      [live],
    );

    const jobs = (await unfinishedDocumentJobs(db(), 1000)).filter((job) => job.kbId === kb.kbId);

    const scoped = { tenantId: kb.tenantId, kbId: kb.kbId };
    expect(jobs).toHaveLength(3);
    expect(jobs).toEqual(
      expect.arrayContaining([
        { type: 'ingest', ...scoped, targetId: pending },
        { type: 'delete-documents', ...scoped, targetId: scoped.kbId },
        { type: 'ingest', ...scoped, targetId: lapsed, takeover: 3 },
      ]),
    );
  });

  it('takes the least recently touched first, at most the limit', async () => {
    const kb = await insertKb(db());
    const older = await insertDocument(db(), kb, 'pending');
    const newer = await insertDocument(db(), kb, 'pending');
    await db().query(`UPDATE documents SET updated_at = '2000-01-01' WHERE id = $1`, [older]);
    await db().query(`UPDATE documents SET updated_at = '2000-01-02' WHERE id = $1`, [newer]);

    const [first] = await unfinishedDocumentJobs(db(), 1);

    expect(first.targetId).toBe(older);
  });
});
