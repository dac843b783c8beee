import { existsSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { VectorStore } from '@strata/storage';
import {
  addMember,
  addTextDocument,
  bearer,
  createKnowledgeBase,
  createTenant,
  KnowledgeBase,
  loginAdmin,
  Tenant,
  waitForDocument,
} from '../factories';
import { GRAPH_CORPUS } from '../fixtures/graph-corpus';
import { CliBesideApi } from '../support/cli';
import { testKbScope } from '../support/scopes';
import { describeE2E } from '../support/test-app';

const SECRETS = { JWT_SECRET: 'm'.repeat(40), MASTER_KEY: 'f'.repeat(64) };
const AN_HOUR_AGO = new Date(Date.now() - 60 * 60_000);

/**
 * `storage check [--fix]` after a crash left a document's vectors, blob and graph entities behind
 * its row. The CLI runs while the API is stopped (the embedded database has one owner).
 */
describeE2E('storage check', () => {
  const stores = new CliBesideApi(SECRETS);
  const cli = (args: string[]) => stores.cli(args);
  const api = () => stores.api();
  let tenant: Tenant;
  let other: Tenant;
  let kb: KnowledgeBase;
  let admin: string;
  let lost: string;
  let kept: string;
  const blobOf = (id: string) => join(stores.dataDir, 'blobs', tenant.id, kb.id, id);

  const graphEntity = async (name: string) =>
    (
      await (
        await api()
      ).http
        .get(
          `/api/v1/tenants/${tenant.id}/knowledge-bases/${kb.id}/graph/entities/${encodeURIComponent(name)}`,
        )
        .set(bearer(admin))
    ).status;

  beforeAll(async () => {
    await stores.open();
    const t = await api();
    const { http } = t;
    const platform = await loginAdmin(http);
    tenant = await createTenant(http, platform);
    other = await createTenant(http, platform);
    admin = (await addMember(http, platform, tenant, { role: 'admin' })).token;
    kb = await createKnowledgeBase(http, admin, tenant);
    const otherAdmin = (await addMember(http, platform, other, { role: 'admin' })).token;
    const otherKb = await createKnowledgeBase(http, otherAdmin, other);
    const settled = async (token: string, x: Tenant, k: KnowledgeBase, text: string) => {
      const id = await addTextDocument(http, token, x, k, text);
      await waitForDocument(http, token, x, k, id);
      return id;
    };
    lost = await settled(admin, tenant, kb, GRAPH_CORPUS.people.text);
    kept = await settled(admin, tenant, kb, GRAPH_CORPUS.places.text);
    await settled(otherAdmin, other, otherKb, GRAPH_CORPUS.people.text);
    // A crash as a document's row went: its chunks and mentions went with it (the foreign keys),
    // its vectors, blob (written an hour ago) and the entities only it mentioned did not.
    await t.app.get(DataSource).query('DELETE FROM documents WHERE id = $1', [lost]);
    expect(existsSync(blobOf(lost))).toBe(true);
    utimesSync(blobOf(lost), AN_HOUR_AGO, AN_HOUR_AGO);
  }, 120_000);
  afterAll(() => stores.close());
  beforeEach(() => stores.stopApi());

  it("reports each store's orphans by KB, and nothing for a tenant without any", async () => {
    const found = await cli(['storage', 'check', '--tenant', tenant.slug]);
    // A check that found orphans fails (exit 1), and says so on stderr.
    expect(found.code).toBe(1);
    expect(found.err).toContain(
      `tenant ${tenant.slug} KB ${kb.slug} (${kb.id}): vectors of 1 deleted document, 1 blob without a document`,
    );
    expect(found.err).toMatch(/\d+ entities nothing supports, \d+ relations? nothing supports/);
    expect(found.err).toContain('Run again with --fix');
    const clean = await cli(['storage', 'check', '--tenant', other.slug]);
    expect(clean).toMatchObject({ code: 0 });
    expect(clean.out).toContain('nothing orphaned');
    expect((await cli(['storage', 'check', '--tenant', 'no-such-tenant'])).code).toBe(2);
    // Checking changed nothing.
    expect(await graphEntity('Maria Lopez')).toBe(200);
  });

  it('removes them with --fix, leaving every live document whole', async () => {
    const fixed = await cli(['storage', 'check', '--fix']);
    expect(fixed.code).toBe(0);
    expect(fixed.out).toContain('removed');
    const again = await cli(['storage', 'check']);
    expect(again).toMatchObject({ code: 0 });
    expect(again.out).toContain('nothing orphaned');

    expect(existsSync(blobOf(lost))).toBe(false);
    expect(existsSync(blobOf(kept))).toBe(true);
    const { app, http } = await api();
    const vectors = app.get(VectorStore);
    const scope = testKbScope(tenant.id, kb.id);
    expect(await vectors.count(scope, { documentIds: [lost] })).toBe(0);
    expect(await vectors.count(scope, { documentIds: [kept] })).toBeGreaterThan(0);
    expect(await graphEntity('Maria Lopez')).toBe(404);
    expect(await graphEntity('Oslo')).toBe(200);
    await http
      .get(`/api/v1/tenants/${tenant.id}/knowledge-bases/${kb.id}/documents/${kept}`)
      .set(bearer(admin))
      .expect(200);
  });
});
