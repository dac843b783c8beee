import type { DataSource } from 'typeorm';
import { describeOnEachDatabase } from '../../../test/support/migrated-sql';
import { testTenantScope } from '../../../test/support/scopes';
import { insertDocument, insertKb } from '../../../test/support/sql-rows';
import { TenantHoldingsCounter } from './tenant-holdings-counter';

describeOnEachDatabase("a tenant's holdings for its usage report", (db) => {
  it('counts its KBs and its live documents and bytes, not another tenant’s', async () => {
    const kb = await insertKb(db());
    await insertKb(db(), kb.tenantId);
    const stranger = await insertKb(db());
    await insertDocument(db(), kb, 'processed');
    await insertDocument(db(), kb, 'deleting');
    await insertDocument(db(), stranger, 'processed');
    const counter = new TenantHoldingsCounter(db() as unknown as DataSource);

    expect(await counter.count(testTenantScope(kb.tenantId))).toEqual({
      knowledgeBases: 2,
      documents: 1,
      storageBytes: 1,
    });
    expect(await counter.count(testTenantScope('00000000-0000-4000-8000-000000000000'))).toEqual({
      knowledgeBases: 0,
      documents: 0,
      storageBytes: 0,
    });
  });
});
