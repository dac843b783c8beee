import type { DataSource } from 'typeorm';
import { describeOnEachDatabase } from '../../../../test/support/migrated-sql';
import { insertKb } from '../../../../test/support/sql-rows';
import { GraphBuildsRepository } from './graph-builds.repository';

describeOnEachDatabase("a KB's graph build lease", (db) => {
  const builds = () => new GraphBuildsRepository(db() as unknown as DataSource, 60);
  const ref = (kb: { tenantId: string; kbId: string }) => ({ tenantId: kb.tenantId, kbId: kb.kbId });

  it('is held by one job at a time, shows as held to the sweep, and counts its attempts', async () => {
    const [kb, never] = [await insertKb(db()), await insertKb(db())];
    const leases = builds();
    const held = async () => (await leases.heldKbs()).filter((k) => k.kbId === kb.kbId);

    expect(await leases.claimKb(kb)).toBe(1);
    expect(await leases.claimKb(kb)).toBeNull();
    expect(await held()).toEqual([ref(kb)]);
    expect(await leases.extendKb(kb, 1)).toBe(true);
    expect(await leases.extendKb(kb, 2)).toBe(false);

    await leases.releaseKb(kb, 1);
    expect(await held()).toEqual([]);
    expect(await leases.claimKb(kb)).toBe(2);
    expect(await leases.lastAttempts([ref(kb), ref(never)])).toEqual(
      expect.arrayContaining([
        { ...ref(kb), attempt: 2 },
        { ...ref(never), attempt: 0 },
      ]),
    );
    expect(await leases.lastAttempts([])).toEqual([]);
  });

  it('is never taken for a KB that is gone', async () => {
    const kb = await insertKb(db());
    await db().query('DELETE FROM knowledge_bases WHERE id = $1', [kb.kbId]);
    expect(await builds().claimKb(kb)).toBeNull();
  });
});
