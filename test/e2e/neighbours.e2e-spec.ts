import {
  addMember,
  bearer,
  createKnowledgeBase,
  createTenant,
  documentsPath,
  KnowledgeBase,
  loginAdmin,
  Tenant,
} from '../factories';
import type TestAgent from 'supertest/lib/agent';
import { describeE2E, startTestApp, TestApp } from '../support/test-app';

const COMPANIES = [
  ['Maria Lopez', 'Northwind Traders', 'Oslo'],
  ['Kenji Tanaka', 'Bluefin Analytics', 'Lisbon'],
  ['Amara Okafor', 'Granite Systems', 'Prague'],
  ['Pavel Novak', 'Summit Holdings', 'Dublin'],
  ['Sofia Rossi', 'Cobalt Labs', 'Vienna'],
  ['Lukas Berg', 'Harbor Partners', 'Riga'],
];
const QUESTIONS = [
  'Where is the company that Maria Lopez leads headquartered?',
  'How much did quarterly revenue grow at Bluefin Analytics?',
  'Which offices are in Prague or Dublin?',
  'Who is the chief executive of Cobalt Labs?',
];
const MODES = ['naive', 'local', 'global', 'hybrid', 'mix'] as const;

/** The KB's documents: who leads each company, where it is, and how it did. */
const ownDocuments = () =>
  COMPANIES.map(([leader, company, city], i) => ({
    title: company,
    text: `# ${company}\n\n${leader} is the chief executive of ${company}. ${company} is headquartered in ${city}. Quarterly revenue grew by ${i + 3} percent.`,
  }));

/** Ten times as much text in the same words, names and cities, for the neighbours. */
const neighbourDocuments = (tag: string) =>
  Array.from({ length: 60 }, (_, i) => {
    const [leader, company, city] = COMPANIES[i % COMPANIES.length];
    const [, otherCompany, otherCity] = COMPANIES[(i + 1) % COMPANIES.length];
    return {
      title: `${tag} ${i}`,
      text: `# ${tag} note ${i}\n\n${leader} met the chief executive of ${otherCompany} in ${otherCity}. ${company} opened offices in ${city} and revenue grew by ${i} percent. Quarterly revenue at ${otherCompany} grew too.`,
    };
  });

async function upload(http: TestAgent, token: string, tenant: Tenant, kb: KnowledgeBase, docs: object[]) {
  for (let i = 0; i < docs.length; i += 50) {
    await http
      .post(documentsPath(tenant, kb))
      .set(bearer(token))
      .send({ documents: docs.slice(i, i + 50) })
      .expect(202);
  }
  const deadline = Date.now() + 120_000;
  for (const filter of [
    'status=pending',
    'status=processing',
    'graph_status=pending',
    'graph_status=building',
  ]) {
    for (;;) {
      const res = await http
        .get(`${documentsPath(tenant, kb)}?${filter}&limit=1`)
        .set(bearer(token))
        .expect(200);
      if (res.body.items.length === 0) break;
      if (Date.now() > deadline) throw new Error(`documents still ${filter} after two minutes`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

describeE2E("a KB's answers do not depend on its neighbours", () => {
  let t: TestApp;
  let admin: string;
  let tenant: Tenant;
  let kb: KnowledgeBase;

  beforeAll(async () => {
    t = await startTestApp();
    const platform = await loginAdmin(t.http);
    tenant = await createTenant(t.http, platform);
    admin = (await addMember(t.http, platform, tenant, { role: 'admin' })).token;
    // Both chunk legs on, so vector search is covered as well as full text.
    kb = await createKnowledgeBase(t.http, admin, tenant, { config: { query: { vector_weight: 1 } } });
    await upload(t.http, admin, tenant, kb, ownDocuments());
  }, 180_000);
  afterAll(() => t.close());

  const answers = async () => {
    const out: Record<string, unknown> = {};
    for (const mode of MODES) {
      for (const query of QUESTIONS) {
        const res = await t.http
          .post(`/api/v1/tenants/${tenant.id}/knowledge-bases/${kb.id}/query`)
          .set(bearer(admin))
          .send({ query, mode, only_need_context: true })
          .expect(200);
        out[`${mode}: ${query}`] = {
          references: res.body.references.map((r: Record<string, unknown>) => [r.chunk_id, r.score]),
          entities: res.body.entities.map((e: { name: string }) => e.name),
          relations: res.body.relations.map(
            (r: { source: string; target: string }) => `${r.source}-${r.target}`,
          ),
        };
      }
    }
    return out;
  };

  it('answers every mode the same after ten times as much is ingested into another KB and another tenant', async () => {
    const before = await answers();
    expect(Object.values(before).some((a) => (a as { references: unknown[] }).references.length > 0)).toBe(
      true,
    );

    const sameTenantKb = await createKnowledgeBase(t.http, admin, tenant, {
      config: { query: { vector_weight: 1 } },
    });
    const platform = await loginAdmin(t.http);
    const other = await createTenant(t.http, platform);
    const otherAdmin = (await addMember(t.http, platform, other, { role: 'admin' })).token;
    const otherKb = await createKnowledgeBase(t.http, otherAdmin, other);
    await upload(t.http, admin, tenant, sameTenantKb, neighbourDocuments('Neighbour'));
    await upload(t.http, otherAdmin, other, otherKb, neighbourDocuments('Other tenant'));

    expect(await answers()).toEqual(before);
  }, 300_000);
});
