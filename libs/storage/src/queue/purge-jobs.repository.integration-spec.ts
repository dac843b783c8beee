import { describeOnEachDatabase } from '../../../../test/support/migrated-sql';
import { insertKb } from '../../../../test/support/sql-rows';
import { testTenantScope } from '../../../../test/support/scopes';
import { finishPurge, schedulePurge, startPurge, unfinishedPurges } from './purge-jobs.repository';

describeOnEachDatabase('purge jobs', (db) => {
  it('schedules a purge, counts its attempts, and forgets it once finished', async () => {
    const sql = db();
    const kb = await insertKb(sql);
    const tenant = testTenantScope(kb.tenantId);
    const ofKb = await schedulePurge(sql, tenant, kb.kbId);
    const ofTenant = await schedulePurge(sql, tenant, null);
    expect(ofKb).toMatchObject({ type: 'purge', tenantId: kb.tenantId, kbId: kb.kbId });

    expect(await unfinishedPurges(sql, 10)).toEqual([
      { id: ofKb.targetId, tenantId: kb.tenantId, kbId: kb.kbId },
      { id: ofTenant.targetId, tenantId: kb.tenantId, kbId: null },
    ]);
    expect(await unfinishedPurges(sql, 1)).toHaveLength(1);

    expect(await startPurge(sql, ofKb.targetId)).toEqual({
      id: ofKb.targetId,
      tenantId: kb.tenantId,
      kbId: kb.kbId,
    });
    await startPurge(sql, ofKb.targetId);
    const [row] = await sql.query<{ attempts: number }>('SELECT attempts FROM purge_jobs WHERE id = $1', [
      ofKb.targetId,
    ]);
    expect(row.attempts).toBe(2);

    await finishPurge(sql, ofKb.targetId);
    expect(await startPurge(sql, ofKb.targetId)).toBeNull();
    expect((await unfinishedPurges(sql, 10)).map((p) => p.id)).toEqual([ofTenant.targetId]);
  });
});
