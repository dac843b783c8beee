import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { LEXICAL_DIMENSION, LEXICAL_MODEL } from '@strata/providers';
import { VectorStore } from '@strata/storage';
import {
  addMember,
  bearer,
  createKnowledgeBase,
  createTenant,
  KnowledgeBase,
  loginAdmin,
  Tenant,
} from '../factories';
import { CliBesideApi } from '../support/cli';
import { Client } from 'pg';
import { writeLightragPostgres } from '../support/lightrag-postgres';
import { fixtureVector, KESTREL_FIXTURE, writeLightragWorkingDir } from '../support/lightrag-working-dir';
import { testKbScope } from '../support/scopes';
import { describeE2E } from '../support/test-app';
import { createTestDatabase } from '../support/test-database';

const SECRETS = { JWT_SECRET: 'l'.repeat(40), MASTER_KEY: 'e'.repeat(64) };

/**
 * `import-lightrag` on a working directory laid out as LightRAG writes it. The CLI runs while
 * the API is stopped (the embedded database has one owner); effects are checked through HTTP.
 */
describeE2E('import-lightrag', () => {
  const stores = new CliBesideApi(SECRETS);
  const cli = (args: string[]) => stores.cli(args);
  const api = () => stores.api();
  const stopApi = () => stores.stopApi();
  let work: string;
  let tenant: Tenant;
  let other: Tenant;
  let kb: KnowledgeBase;
  let admin: string;

  const kbPath = (k: KnowledgeBase, x: Tenant = tenant) => `/api/v1/tenants/${x.id}/knowledge-bases/${k.id}`;
  const counts = async (k: KnowledgeBase, x: Tenant = tenant) => {
    const db = (await api()).app.get(DataSource);
    const [row] = await db.query(
      `SELECT (SELECT count(*) FROM documents WHERE tenant_id = $1 AND kb_id = $2)::int AS documents,
              (SELECT count(*) FROM chunks WHERE tenant_id = $1 AND kb_id = $2)::int AS chunks,
              (SELECT count(*) FROM graph_entities WHERE tenant_id = $1 AND kb_id = $2)::int AS entities,
              (SELECT count(*) FROM graph_relations WHERE tenant_id = $1 AND kb_id = $2)::int AS relations`,
      [x.id, k.id],
    );
    return row;
  };

  beforeAll(async () => {
    await stores.open();
    work = mkdtempSync(join(tmpdir(), 'strata-import-'));
    writeLightragWorkingDir(join(work, 'lightrag'), KESTREL_FIXTURE);
    const { http } = await api();
    const platform = await loginAdmin(http);
    tenant = await createTenant(http, platform);
    other = await createTenant(http, platform);
    admin = (await addMember(http, platform, tenant, { role: 'admin' })).token;
    kb = await createKnowledgeBase(http, admin, tenant);
  }, 120_000);
  afterAll(async () => {
    await stores.close();
    rmSync(work, { recursive: true, force: true });
  });

  beforeEach(stopApi);

  const importInto = (k: KnowledgeBase, x: Tenant, ...extra: string[]) =>
    cli(['import-lightrag', join(work, 'lightrag'), '--tenant', x.slug, '--kb', k.slug, '--json', ...extra]);

  it('counts without writing on --dry-run', async () => {
    const dry = await importInto(kb, tenant, '--dry-run');
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.out)).toMatchObject({
      dryRun: true,
      source: { documents: 3, chunks: 4, entities: 5, relations: 5 },
      imported: 3,
      unchanged: 0,
    });
    expect(await counts(kb)).toEqual({ documents: 0, chunks: 0, entities: 0, relations: 0 });
  });

  it('imports the same documents, chunks, entities and relations, and a second run changes nothing', async () => {
    const first = await importInto(kb, tenant);
    expect(first.err).toBe('');
    const report = JSON.parse(first.out);
    expect(report).toMatchObject({
      imported: 3,
      queued: 0,
      skipped: [],
      chunks: 4,
      vectors: { reused: 0, embedded: 4 },
      graph: { entities: 5, relations: 5 },
      warnings: [],
    });
    expect(await counts(kb)).toEqual({ documents: 3, chunks: 4, entities: 5, relations: 5 });
    await stopApi();

    const second = JSON.parse((await importInto(kb, tenant)).out);
    expect(second).toMatchObject({
      imported: 0,
      unchanged: 3,
      chunks: 0,
      graph: { entities: 5, relations: 5 },
    });
    expect(await counts(kb)).toEqual({ documents: 3, chunks: 4, entities: 5, relations: 5 });

    const { http } = await api();
    const docs = await http
      .get(`${kbPath(kb)}/documents`)
      .set(bearer(admin))
      .expect(200);
    expect(docs.body.items.map((d: { title: string }) => d.title).sort()).toEqual([
      'kestrel-history.md',
      'people.md',
      'tidewater.md',
    ]);
    expect(docs.body.items.every((d: { status: string }) => d.status === 'processed')).toBe(true);
    expect(docs.body.items[0].metadata.lightrag_id).toMatch(/^doc-[0-9a-f]{32}$/);
    const orla = await http
      .get(`${kbPath(kb)}/graph/entities/orla%20vance`)
      .set(bearer(admin))
      .expect(200);
    expect(orla.body).toMatchObject({
      label: 'Orla Vance',
      degree: 2,
      type: 'person',
      description: 'Founder of Kestrel Labs.\nFormer turbine designer for the harbour authority.',
    });
  });

  it('answers a question over the imported KB from an imported entity', async () => {
    const { http } = await api();
    const res = await http
      .post(`${kbPath(kb)}/query`)
      .set(bearer(admin))
      .send({ query: 'Who founded Kestrel Labs?', mode: 'local' })
      .expect(200);
    expect(res.body.entities.map((e: { name: string }) => e.name)).toContain('Kestrel Labs');
    expect(res.body.relations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ description: 'Orla Vance founded Kestrel Labs in 2011.' }),
      ]),
    );
    expect(res.body.references.map((r: { title: string }) => r.title)).toContain('kestrel-history.md');
  });

  it("keeps LightRAG's chunk vectors when the model and dimension match the KB's", async () => {
    const dir = join(work, 'with-vectors');
    writeLightragWorkingDir(dir, { ...KESTREL_FIXTURE, vectorDimension: LEXICAL_DIMENSION });
    const { http } = await api();
    const target = await createKnowledgeBase(http, admin, tenant);
    await stopApi();
    const run = await cli([
      'import-lightrag',
      dir,
      '--tenant',
      tenant.id,
      '--kb',
      target.id,
      '--source-embedding-model',
      LEXICAL_MODEL,
      '--json',
    ]);
    expect(JSON.parse(run.out).vectors).toEqual({ reused: 4, embedded: 0 });
    const { app } = await api();
    const hits = await app
      .get(VectorStore)
      .search(
        testKbScope(tenant.id, target.id),
        { model: LEXICAL_MODEL, dimension: LEXICAL_DIMENSION },
        { vector: fixtureVector(2, LEXICAL_DIMENSION), kind: 'chunk', limit: 1 },
      );
    expect(hits[0].score).toBeCloseTo(1, 5);
  });

  it('imports into another tenant apart, and refuses a KB outside the tenant or a directory it cannot read', async () => {
    const { http } = await api();
    const platform = await loginAdmin(http);
    const otherAdmin = (await addMember(http, platform, other, { role: 'admin' })).token;
    const otherKb = await createKnowledgeBase(http, otherAdmin, other);
    await stopApi();

    expect(JSON.parse((await importInto(otherKb, other)).out)).toMatchObject({
      imported: 3,
      graph: { entities: 5 },
    });
    expect(await counts(otherKb, other)).toEqual({ documents: 3, chunks: 4, entities: 5, relations: 5 });
    expect(await counts(kb)).toEqual({ documents: 3, chunks: 4, entities: 5, relations: 5 });
    await stopApi();

    const foreign = await cli([
      'import-lightrag',
      join(work, 'lightrag'),
      '--tenant',
      tenant.slug,
      '--kb',
      otherKb.id,
    ]);
    expect(foreign).toMatchObject({
      code: 2,
      err: expect.stringContaining(`no knowledge base ${otherKb.id}`),
    });
    const missing = await cli([
      'import-lightrag',
      join(work, 'nothing-here'),
      '--tenant',
      tenant.slug,
      '--kb',
      kb.slug,
    ]);
    expect(missing).toMatchObject({ code: 2, err: expect.stringContaining('error IMPORT_SOURCE_INVALID') });
  });

  const pgSkip = process.env.STRATA_PG_UNAVAILABLE;
  (pgSkip ? it.skip : it)(
    `imports a workspace of LightRAG's PostgreSQL storage, once${pgSkip ? ` (skipped: ${pgSkip})` : ''}`,
    async () => {
      const source = await createTestDatabase('postgres');
      const url = (source.config as { url: string }).url;
      try {
        const client = new Client({ connectionString: url });
        await client.connect();
        await writeLightragPostgres(client, 'lightrag', 'research', KESTREL_FIXTURE);
        await client.end();
        const { http } = await api();
        const target = await createKnowledgeBase(http, admin, tenant);
        await stopApi();

        const args = ['--postgres', url, '--schema', 'lightrag', '--workspace', 'research'];
        const run = await cli([
          'import-lightrag',
          ...args,
          '--tenant',
          tenant.slug,
          '--kb',
          target.slug,
          '--json',
        ]);
        expect(run.err).toBe('');
        expect(JSON.parse(run.out)).toMatchObject({
          source: { documents: 3, chunks: 4, entities: 5, relations: 5 },
          imported: 3,
          graph: { entities: 5, relations: 5 },
          warnings: [],
        });
        expect(await counts(target)).toEqual({ documents: 3, chunks: 4, entities: 5, relations: 5 });
        await stopApi();
        const again = await cli([
          'import-lightrag',
          ...args,
          '--tenant',
          tenant.slug,
          '--kb',
          target.slug,
          '--json',
        ]);
        expect(JSON.parse(again.out)).toMatchObject({ imported: 0, unchanged: 3 });

        const { http: api2 } = await api();
        const orla = await api2
          .get(`${kbPath(target)}/graph/entities/orla%20vance`)
          .set(bearer(admin))
          .expect(200);
        // LightRAG keeps types in its graph storage, which the import does not read.
        expect(orla.body).toMatchObject({
          type: 'unknown',
          description: 'Founder of Kestrel Labs.\nFormer turbine designer for the harbour authority.',
        });
        await stopApi();
        const both = await cli([
          'import-lightrag',
          join(work, 'lightrag'),
          ...args,
          '--tenant',
          tenant.slug,
          '--kb',
          target.slug,
        ]);
        expect(both).toMatchObject({ code: 2, err: expect.stringContaining('not both') });
        const neither = await cli(['import-lightrag', '--tenant', tenant.slug, '--kb', target.slug]);
        expect(neither).toMatchObject({
          code: 2,
          err: expect.stringContaining('error IMPORT_SOURCE_INVALID'),
        });
      } finally {
        await source.drop();
      }
    },
  );
});
