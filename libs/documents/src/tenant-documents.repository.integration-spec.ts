import { describeOnEachDatabase } from '../../../test/support/migrated-sql';
import { insertDocument, insertKb } from '../../../test/support/sql-rows';
import { tenantDocumentHoldings } from './tenant-documents.repository';

describeOnEachDatabase("a tenant's document holdings", (db) => {
  it("counts the tenant's documents and bytes in all its KBs, without those being deleted or another tenant's", async () => {
    const kb = await insertKb(db());
    const sibling = await insertKb(db(), kb.tenantId);
    const stranger = await insertKb(db());
    const sized = async (scope: typeof kb, status: string, bytes: number) => {
      const id = await insertDocument(db(), scope, status);
      await db().query('UPDATE documents SET size_bytes = $2 WHERE id = $1', [id, bytes]);
    };
    await sized(kb, 'processed', 100);
    await sized(kb, 'pending', 20);
    await sized(sibling, 'failed', 3);
    await sized(kb, 'deleting', 5000);
    await sized(stranger, 'processed', 7000);

    expect(await tenantDocumentHoldings(db(), kb.tenantId)).toEqual({ documents: 3, bytes: 123 });
    expect(await tenantDocumentHoldings(db(), '00000000-0000-4000-8000-000000000000')).toEqual({
      documents: 0,
      bytes: 0,
    });
  });
});
