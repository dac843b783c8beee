import { randomUUID } from 'node:crypto';
import type { SqlClient } from '@strata/storage';
import type { KbScope } from '@strata/tenancy';
import { describeOnEachDatabase } from '../../../test/support/migrated-sql';
import { insertKb, insertProcessedDocument } from '../../../test/support/sql-rows';
import { testKbScope } from '../../../test/support/scopes';
import {
  countDocumentsByStatus,
  documentsOfChunks,
  existingDocumentIds,
} from './document-lookups.repository';

async function insertChunk(sql: SqlClient, kb: KbScope, documentId: string, ordinal = 0): Promise<string> {
  const id = randomUUID();
  await sql.query(
    `INSERT INTO chunks (id, tenant_id, kb_id, document_id, ordinal, content, token_count)
     VALUES ($1, $2, $3, $4, $5, 'text', 1)`,
    [id, kb.tenantId, kb.kbId, documentId, ordinal],
  );
  return id;
}

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
    const first = await insertChunk(sql, a, inA);
    const second = await insertChunk(sql, a, inA, 1);
    const elsewhere = await insertChunk(sql, b, inB);
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
