import { describeOnEachDatabase } from '../../../test/support/migrated-sql';
import { testKbScope } from '../../../test/support/scopes';
import type { SqlClient } from '@strata/storage';
import {
  adjustKbDocumentCount,
  bumpKbGraphVersion,
  claimKbEmbeddingSpace,
  forgetKbEmbeddingDimension,
  readKbConfig,
  readKbDocumentCount,
  readKbGraphVersion,
  readKbStatus,
} from './knowledge-base.repository';

const TENANT_A = '01900000-0000-7000-8000-00000000000a';
const TENANT_B = '01900000-0000-7000-8000-00000000000b';
const KB_A = '01900000-0000-7000-8000-0000000000a1';
const KB_B = '01900000-0000-7000-8000-0000000000b1';
const A = testKbScope(TENANT_A, KB_A);
const B = testKbScope(TENANT_B, KB_B);
/** KB A's id under tenant B: another tenant's scope never reaches A's row. */
const A_FROM_B = testKbScope(TENANT_B, KB_A);

async function seed(sql: SqlClient): Promise<void> {
  await sql.query(
    `INSERT INTO tenants (id, slug, name, status, quotas) VALUES ($1, 'acme', 'Acme', 'active', '{}'),
       ($2, 'globex', 'Globex', 'active', '{}')`,
    [TENANT_A, TENANT_B],
  );
  await sql.query(
    `INSERT INTO knowledge_bases (id, tenant_id, slug, name, status, config) VALUES
       ($1, $2, 'handbook', 'Handbook', 'active', '{"chunking": {"chunk_size": 300}}'),
       ($3, $4, 'handbook', 'Their handbook', 'archived', '{}')`,
    [KB_A, TENANT_A, KB_B, TENANT_B],
  );
}

describeOnEachDatabase('the knowledge_bases repository', (db) => {
  let sql: SqlClient;
  beforeAll(async () => {
    sql = db();
    await seed(sql);
  });

  it('reads status and config completed with defaults, within the scope only', async () => {
    expect(await readKbStatus(sql, A)).toBe('active');
    expect(await readKbStatus(sql, B)).toBe('archived');
    expect(await readKbStatus(sql, A_FROM_B)).toBeNull();
    const config = await readKbConfig(sql, A);
    expect(config?.chunking.chunk_size).toBe(300);
    expect(config?.embedding).toEqual({ model: null, dimension: null });
    expect(await readKbConfig(sql, A_FROM_B)).toBeNull();
  });

  it('counts documents up and down, never below zero, and not through another scope', async () => {
    await adjustKbDocumentCount(sql, A, 3);
    await adjustKbDocumentCount(sql, A, -1);
    await adjustKbDocumentCount(sql, A_FROM_B, 10);
    expect(await readKbDocumentCount(sql, A)).toBe(2);
    await adjustKbDocumentCount(sql, A, -5);
    expect(await readKbDocumentCount(sql, A)).toBe(0);
    expect(await readKbDocumentCount(sql, A_FROM_B)).toBe(0);
  });

  it('claims an embedding space once; a second claim answers the first', async () => {
    await expect(claimKbEmbeddingSpace(sql, A, 'lexical', 1024)).resolves.toEqual({
      model: 'lexical',
      dimension: 1024,
    });
    await expect(claimKbEmbeddingSpace(sql, A, 'other-model', 768)).resolves.toEqual({
      model: 'lexical',
      dimension: 1024,
    });
    await expect(claimKbEmbeddingSpace(sql, A_FROM_B, 'lexical', 1024)).resolves.toBeNull();
  });

  it('forgets the dimension but keeps the model, so the same model claims again', async () => {
    await forgetKbEmbeddingDimension(sql, A);
    expect((await readKbConfig(sql, A))?.embedding).toEqual({ model: 'lexical', dimension: null });
    await expect(claimKbEmbeddingSpace(sql, A, 'lexical', 256)).resolves.toEqual({
      model: 'lexical',
      dimension: 256,
    });
    // Another model still does not take the space over.
    await forgetKbEmbeddingDimension(sql, A);
    await expect(claimKbEmbeddingSpace(sql, A, 'other-model', 768)).resolves.toEqual({
      model: 'lexical',
      dimension: null,
    });
  });

  it('moves the graph version on and reads it back; a KB out of scope has none', async () => {
    const before = await readKbGraphVersion(sql, A);
    const bumped = await bumpKbGraphVersion(sql, A);
    expect(BigInt(bumped!)).toBe(BigInt(before!) + 1n);
    expect(await readKbGraphVersion(sql, A)).toBe(bumped);
    expect(await bumpKbGraphVersion(sql, A_FROM_B)).toBeNull();
    expect(await readKbGraphVersion(sql, B)).toBe(before);
  });
});
