import type { DataSource } from 'typeorm';
import { describeOnEachDatabase } from '../../../test/support/migrated-sql';
import type { SqlClient } from '@strata/storage';
import { SqlResolutionLookup } from './sql-resolution.adapter';

const TENANT_A = '01900000-0000-7000-8000-00000000000a';
const TENANT_B = '01900000-0000-7000-8000-00000000000b';
const USER = '01900000-0000-7000-8000-0000000000aa';
const KB_A = '01900000-0000-7000-8000-0000000000a1';
const KB_B = '01900000-0000-7000-8000-0000000000b1';

async function seed(sql: SqlClient): Promise<void> {
  await sql.query(
    `INSERT INTO tenants (id, slug, name, status, quotas) VALUES
       ($1, 'acme', 'Acme', 'active', '{"queries_per_minute": 5}'), ($2, 'globex', 'Globex', 'suspended', '{}')`,
    [TENANT_A, TENANT_B],
  );
  await sql.query(`INSERT INTO users (id, email, password_hash) VALUES ($1, 'u@example.com', 'x')`, [USER]);
  await sql.query(
    `INSERT INTO memberships (tenant_id, user_id, role, knowledge_base_ids, permissions)
     VALUES ($1, $2, 'editor', ARRAY[$3]::uuid[], '{"create_kb": true}')`,
    [TENANT_A, USER, KB_A],
  );
  await sql.query(
    `INSERT INTO knowledge_bases (id, tenant_id, slug, name) VALUES ($1, $2, 'handbook', 'Handbook'),
       ($3, $4, 'handbook', 'Their handbook')`,
    [KB_A, TENANT_A, KB_B, TENANT_B],
  );
}

describeOnEachDatabase('SqlResolutionLookup', (db) => {
  let sql: SqlClient;
  let lookup: SqlResolutionLookup;
  beforeAll(async () => {
    sql = db();
    await seed(sql);
    // The lookup only needs DataSource.query; the real database answers it.
    lookup = new SqlResolutionLookup({
      query: (text: string, params?: unknown[]) => sql.query(text, params),
    } as unknown as DataSource);
  });

  it('reads the tenant, the membership and the KB by id', async () => {
    await expect(lookup.resolve({ id: TENANT_A }, USER, { id: KB_A })).resolves.toEqual({
      tenant: {
        id: TENANT_A,
        slug: 'acme',
        name: 'Acme',
        status: 'active',
        quotas: { queries_per_minute: 5 },
        ssoRequired: false,
      },
      membership: { role: 'editor', knowledgeBaseIds: [KB_A], permissions: { create_kb: true } },
      knowledgeBase: { id: KB_A, slug: 'handbook' },
    });
  });

  it('reads them by slug', async () => {
    const found = await lookup.resolve({ slug: 'acme' }, USER, { slug: 'handbook' });
    expect(found?.tenant.id).toBe(TENANT_A);
    expect(found?.knowledgeBase).toEqual({ id: KB_A, slug: 'handbook' });
  });

  it("never returns another tenant's KB, by id or by slug", async () => {
    expect((await lookup.resolve({ id: TENANT_A }, USER, { id: KB_B }))?.knowledgeBase).toBeNull();
    expect((await lookup.resolve({ id: TENANT_B }, USER, { slug: 'handbook' }))?.knowledgeBase).toEqual({
      id: KB_B,
      slug: 'handbook',
    });
  });

  it('has no membership for a non-member, an API key or a platform call', async () => {
    const other = await lookup.resolve({ id: TENANT_B }, USER, null);
    expect(other).toMatchObject({ tenant: { id: TENANT_B, status: 'suspended' }, membership: null });
    expect((await lookup.resolve({ id: TENANT_A }, null, null))?.membership).toBeNull();
  });

  it('has no KB when none is named', async () => {
    expect((await lookup.resolve({ id: TENANT_A }, USER, null))?.knowledgeBase).toBeNull();
  });

  it('answers null for a tenant that does not exist', async () => {
    await expect(
      lookup.resolve({ id: '01900000-0000-7000-8000-0000000000ff' }, USER, { id: KB_A }),
    ).resolves.toBeNull();
    await expect(lookup.resolve({ slug: 'nobody' }, USER, null)).resolves.toBeNull();
  });
});
