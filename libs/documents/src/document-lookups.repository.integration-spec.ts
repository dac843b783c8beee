import { randomUUID } from 'node:crypto';
import type { SqlClient } from '@strata/storage';
import type { KbScope } from '@strata/tenancy';
import { describeOnEachDatabase } from '../../../test/support/migrated-sql';
import { insertChunk, insertKb, insertProcessedDocument } from '../../../test/support/sql-rows';
import { testKbScope } from '../../../test/support/scopes';
import {
  countDocumentsByStatus,
  documentsOfChunks,
  existingDocumentIds,
} from './document-lookups.repository';

describeOnEachDatabase('the documents lookups other libraries use', (db) => {
  let sql: SqlClient;
  let a: KbScope;
  let b: KbScope;
  let inA: string;
  let inB: string;

  beforeAll(async () => {
    sql = db();
    a = await insertKb(sql);
    b = await insertKb(sql);
    inA = await insertProcessedDocument(sql, a);
    inB = await insertProcessedDocument(sql, b);
  });

  it("answers which ids a KB holds, never another KB's or another tenant's", async () => {
    const unknown = randomUUID();
    expect(await existingDocumentIds(sql, a, [inA, inB, unknown])).toEqual(new Set([inA]));
    expect(await existingDocumentIds(sql, testKbScope(b.tenantId, a.kbId), [inA])).toEqual(new Set());
    expect(await existingDocumentIds(sql, a, [])).toEqual(new Set());
  });

  it("names the documents of a KB's chunks once each, leaving out chunks of other KBs", async () => {
    const first = await insertChunk(sql, a, inA, 0);
    const second = await insertChunk(sql, a, inA, 1);
    const elsewhere = await insertChunk(sql, b, inB, 0);
    expect(await documentsOfChunks(sql, a, [first, second, elsewhere])).toEqual([{ id: inA, title: 'D' }]);
    expect(await documentsOfChunks(sql, testKbScope(b.tenantId, a.kbId), [first])).toEqual([]);
    expect(await documentsOfChunks(sql, a, [])).toEqual([]);
  });

  it('counts documents per status across the platform', async () => {
    const before = (await countDocumentsByStatus(sql)).get('processed') ?? 0;
    await insertProcessedDocument(sql, b);
    expect((await countDocumentsByStatus(sql)).get('processed')).toBe(before + 1);
  });
});
