import {
  addMember,
  addTextDocument,
  bearer,
  createKnowledgeBase,
  createTenant,
  documentsPath,
  KnowledgeBase,
  loginAdmin,
  Tenant,
  waitForDocument,
} from '../factories';
import { GRAPH_CORPUS } from '../fixtures/graph-corpus';
import { OpenAiCompatibleServer } from '../support/openai-compatible-server';
import { describeE2E, startTestApp, TestApp } from '../support/test-app';

interface Node {
  id: string;
  label: string;
  type: string;
  degree: number;
}
interface Edge {
  id: string;
  source: string;
  target: string;
  keywords: string;
}

describeE2E('knowledge graph: extraction, merge, deletion and the graph API', () => {
  let t: TestApp;
  let platform: string;
  let tenant: Tenant;
  let admin: string;

  beforeAll(async () => {
    t = await startTestApp();
    platform = await loginAdmin(t.http);
    tenant = await createTenant(t.http, platform);
    admin = (await addMember(t.http, platform, tenant, { role: 'admin' })).token;
  });
  afterAll(() => t.close());

  const graphPath = (k: KnowledgeBase, rest = '', tn: Tenant = tenant) =>
    `/api/v1/tenants/${tn.id}/knowledge-bases/${k.id}/graph${rest}`;
  const addAndWait = async (k: KnowledgeBase, doc: { title: string; text: string }) => {
    const id = await addTextDocument(t.http, admin, tenant, k, doc.text, { title: doc.title });
    const processed = await waitForDocument(t.http, admin, tenant, k, id);
    expect(processed.status).toBe('processed');
    return id;
  };
  const subgraph = async (k: KnowledgeBase, query = '') => {
    const res = await t.http.get(graphPath(k, query)).set(bearer(admin)).expect(200);
    const nodes = res.body.nodes as Node[];
    const byId = new Map(nodes.map((n) => [n.id, n.label]));
    const pairs = (res.body.edges as Edge[]).map((e) =>
      [byId.get(e.source), byId.get(e.target)].sort().join(' ~ '),
    );
    return { body: res.body, nodes, labels: nodes.map((n) => n.label).sort(), pairs };
  };
  /** Runs `body` with the tenant's LLM set to a fresh test server, and takes both away after. */
  const withTenantLlm = async (model: string, body: (llm: OpenAiCompatibleServer) => Promise<void>) => {
    const llm = await OpenAiCompatibleServer.start();
    try {
      await t.http
        .patch(`/api/v1/tenants/${tenant.id}/config`)
        .set(bearer(admin))
        .send({ llm: { base_url: llm.url, model } })
        .expect(200);
      await body(llm);
    } finally {
      await t.http
        .patch(`/api/v1/tenants/${tenant.id}/config`)
        .set(bearer(admin))
        .send({ llm: { base_url: null, model: null } });
      await llm.stop();
    }
  };
  const deleteDocument = async (k: KnowledgeBase, id: string) => {
    await t.http
      .delete(`${documentsPath(tenant, k)}/${id}`)
      .set(bearer(admin))
      .expect(202);
    await waitForDocument(t.http, admin, tenant, k, id, { until: (status) => status === 404 });
  };

  it('builds the graph of named people, companies and places with no LLM, and serves it', async () => {
    const kb = await createKnowledgeBase(t.http, admin, tenant);
    await addAndWait(kb, GRAPH_CORPUS.people);
    await addAndWait(kb, GRAPH_CORPUS.places);

    const whole = await subgraph(kb);
    expect(whole.labels).toEqual(
      expect.arrayContaining([
        'Maria Lopez',
        'Daniel Lopez',
        'Northwind Traders',
        'Bluefin Analytics',
        'Oslo',
        'Lisbon',
      ]),
    );
    const types = Object.fromEntries(whole.nodes.map((n) => [n.label, n.type]));
    expect(types).toMatchObject({
      'Maria Lopez': 'person',
      'Northwind Traders': 'organization',
      Oslo: 'location',
    });
    expect(whole.pairs).toEqual(
      expect.arrayContaining([
        'Maria Lopez ~ Northwind Traders',
        'Northwind Traders ~ Oslo',
        'Bluefin Analytics ~ Daniel Lopez',
        'Bluefin Analytics ~ Northwind Traders',
      ]),
    );
    expect(whole.body.is_truncated).toBe(false);

    // Two hops from Maria Lopez reach Oslo through Northwind Traders; one does not.
    const one = await subgraph(kb, `?label=${encodeURIComponent('maria lopez')}&max_depth=1`);
    expect(one.labels).toContain('Northwind Traders');
    expect(one.labels).not.toContain('Oslo');
    const two = await subgraph(kb, `?label=${encodeURIComponent('Maria Lopez')}&max_depth=2`);
    expect(two.labels).toContain('Oslo');
    const capped = await subgraph(kb, `?label=${encodeURIComponent('Maria Lopez')}&max_depth=3&max_nodes=2`);
    expect(capped.nodes).toHaveLength(2);
    expect(capped.body.is_truncated).toBe(true);
    expect((await subgraph(kb, '?label=Nobody')).nodes).toEqual([]);

    const labels = await t.http.get(graphPath(kb, '/labels?q=lopez')).set(bearer(admin)).expect(200);
    expect(labels.body.labels.map((l: { name: string }) => l.name).sort()).toEqual([
      'Daniel Lopez',
      'Maria Lopez',
    ]);
    const popular = await t.http.get(graphPath(kb, '/labels?limit=1')).set(bearer(admin)).expect(200);
    expect(popular.body.labels[0].name).toBe('Northwind Traders');

    const entity = await t.http
      .get(graphPath(kb, `/entities/${encodeURIComponent('northwind traders')}`))
      .set(bearer(admin))
      .expect(200);
    expect(entity.body).toMatchObject({ label: 'Northwind Traders', type: 'organization' });
    expect(entity.body.documents.map((d: { title: string }) => d.title)).toEqual(['People', 'Places']);
    expect(entity.body.relations.map((r: { entity: string }) => r.entity)).toEqual(
      expect.arrayContaining(['Maria Lopez', 'Oslo', 'Bluefin Analytics']),
    );
    const missing = await t.http.get(graphPath(kb, '/entities/Atlantis')).set(bearer(admin));
    expect({ status: missing.status, code: missing.body.code }).toEqual({
      status: 404,
      code: 'ENTITY_NOT_FOUND',
    });
    for (const query of ['?max_depth=0', '?max_depth=9', '?max_nodes=5000', '/labels?limit=0']) {
      const bad = await t.http.get(graphPath(kb, query)).set(bearer(admin));
      expect({ query, status: bad.status, code: bad.body.code }).toEqual({
        query,
        status: 400,
        code: 'VALIDATION_FAILED',
      });
    }
  });

  it('takes a deleted document out: an entity keeps its other source, and goes with its last', async () => {
    const kb = await createKnowledgeBase(t.http, admin, tenant);
    const people = await addAndWait(kb, GRAPH_CORPUS.people);
    const places = await addAndWait(kb, GRAPH_CORPUS.places);

    await deleteDocument(kb, places);
    const northwind = await t.http
      .get(graphPath(kb, '/entities/Northwind%20Traders'))
      .set(bearer(admin))
      .expect(200);
    expect(northwind.body.documents.map((d: { title: string }) => d.title)).toEqual(['People']);
    expect(northwind.body.relations.map((r: { entity: string }) => r.entity)).not.toContain('Oslo');
    const afterFirst = await subgraph(kb);
    expect(afterFirst.labels).not.toContain('Oslo');
    expect(afterFirst.pairs).not.toContain('Northwind Traders ~ Oslo');
    expect(afterFirst.pairs).toContain('Maria Lopez ~ Northwind Traders');

    await deleteDocument(kb, people);
    expect((await t.http.get(graphPath(kb, '/entities/Northwind%20Traders')).set(bearer(admin))).status).toBe(
      404,
    );
    expect((await subgraph(kb)).nodes).toEqual([]);
  });

  it("forgets editors' changes to what a deleted document was the last source of", async () => {
    const kb = await createKnowledgeBase(t.http, admin, tenant);
    await addAndWait(kb, GRAPH_CORPUS.people);
    const places = await addAndWait(kb, GRAPH_CORPUS.places);
    const osloPath = graphPath(kb, '/entities/Oslo');
    const northwindPath = graphPath(kb, '/entities/Northwind%20Traders');
    await t.http.patch(osloPath).set(bearer(admin)).send({ description: 'Edited Oslo.' }).expect(200);
    await t.http
      .patch(northwindPath)
      .set(bearer(admin))
      .send({ description: 'Edited Northwind.' })
      .expect(200);
    const { body } = await t.http
      .get(graphPath(kb, '?label=Oslo&max_depth=1'))
      .set(bearer(admin))
      .expect(200);
    const osloId = body.nodes.find((n: Node) => n.label === 'Oslo').id;
    const edge = body.edges.find((e: Edge) => [e.source, e.target].includes(osloId));
    await t.http
      .patch(graphPath(kb, `/relations/${edge.id}`))
      .set(bearer(admin))
      .send({ keywords: 'edited keywords' })
      .expect(200);

    await deleteDocument(kb, places);
    // Northwind Traders keeps its other source, and its edit; Oslo and its relation went.
    expect((await t.http.get(northwindPath).set(bearer(admin))).body.description).toBe('Edited Northwind.');
    expect((await t.http.get(osloPath).set(bearer(admin))).status).toBe(404);

    // Named again, Oslo and its relation start from the new document's text.
    await addAndWait(kb, GRAPH_CORPUS.places);
    const oslo = await t.http.get(osloPath).set(bearer(admin)).expect(200);
    expect(oslo.body.description).not.toBe('Edited Oslo.');
    expect(oslo.body.description).toContain('Oslo');
    const again = await subgraph(kb, '?label=Oslo&max_depth=1');
    const keywords = (again.body.edges as Edge[]).map((e) => e.keywords);
    expect(keywords.length).toBeGreaterThan(0);
    expect(keywords).not.toContain('edited keywords');
  });

  it("joins an entity's descriptions in the order its documents were added", async () => {
    const k = await createKnowledgeBase(t.http, admin, tenant);
    await addAndWait(k, { title: 'first', text: 'Zeta Holdings opened an office in Oslo.' });
    // Sorts before the first document's sentence: a later document must still come after it.
    await addAndWait(k, { title: 'second', text: 'Analysts said Zeta Holdings grew quickly.' });
    const res = await t.http
      .get(graphPath(k, `/entities/${encodeURIComponent('Zeta Holdings')}`))
      .set(bearer(admin))
      .expect(200);
    expect(res.body.description).toBe(
      'Zeta Holdings opened an office in Oslo.\nAnalysts said Zeta Holdings grew quickly.',
    );
  });

  it('merges documents that share many entities, ingested at the same time, into one consistent graph', async () => {
    const k = await createKnowledgeBase(t.http, admin, tenant);
    // Every document names the same people and places in its own order: concurrent merges touch
    // the same rows in different orders (on PostgreSQL, the setting in which deadlocks happened).
    const people = Array.from(
      { length: 12 },
      (_, i) =>
        `${['Anna', 'Boris', 'Carla', 'Dmitri'][i % 4]} ${['Keller', 'Novak', 'Ortiz'][Math.floor(i / 4)]}`,
    );
    const places = ['Oslo', 'Lisbon', 'Vienna', 'Dublin', 'Prague', 'Madrid'];
    const ids = await Promise.all(
      Array.from({ length: 6 }, (_, d) => {
        const order = [...people.slice(d * 2), ...people.slice(0, d * 2)];
        const text = order
          .map(
            (person, i) =>
              `${person} met ${order[(i + 1) % order.length]} in ${places[(i + d) % places.length]}.`,
          )
          .join(' ');
        return addTextDocument(t.http, admin, tenant, k, text, { title: `meeting notes ${d}` });
      }),
    );
    for (const id of ids)
      expect((await waitForDocument(t.http, admin, tenant, k, id)).status).toBe('processed');
    const { labels } = await subgraph(k, '?label=*&max_nodes=100');
    expect(labels).toEqual(expect.arrayContaining([...people, ...places]));
    const anna = await t.http
      .get(graphPath(k, `/entities/${encodeURIComponent('Anna Keller')}`))
      .set(bearer(admin))
      .expect(200);
    // One source chunk per document (each is a single chunk).
    expect(anna.body.source_chunk_ids).toHaveLength(6);
  });

  it("shows nothing of a KB's graph from another tenant or another KB", async () => {
    const kb = await createKnowledgeBase(t.http, admin, tenant);
    await addAndWait(kb, GRAPH_CORPUS.people);
    const otherKb = await createKnowledgeBase(t.http, admin, tenant);
    const otherTenant = await createTenant(t.http, platform);
    const outsider = (await addMember(t.http, platform, otherTenant, { role: 'admin' })).token;
    const elsewhere = (
      await addMember(t.http, admin, tenant, { role: 'viewer', knowledge_base_ids: [otherKb.id] })
    ).token;
    const routes = ['', '/labels', '/entities/Maria%20Lopez'];
    for (const route of routes) {
      for (const [token, path] of [
        [outsider, graphPath(kb, route)],
        [outsider, graphPath(kb, route, otherTenant)],
        [elsewhere, graphPath(kb, route)],
      ]) {
        const res = await t.http.get(path).set(bearer(token));
        expect({ route, status: res.status }).toEqual({ route, status: 404 });
        expect(JSON.stringify(res.body)).not.toContain('Maria');
      }
    }
    // Changes are refused the same way: nothing outside the caller's KBs exists for them.
    const editorElsewhere = (
      await addMember(t.http, admin, tenant, { role: 'editor', knowledge_base_ids: [otherKb.id] })
    ).token;
    for (const token of [outsider, editorElsewhere]) {
      const patch = await t.http
        .patch(graphPath(kb, '/entities/Maria%20Lopez'))
        .set(bearer(token))
        .send({ type: 'x' });
      const merge = await t.http
        .post(graphPath(kb, '/entities/merge'))
        .set(bearer(token))
        .send({ source: 'Maria Lopez', target: 'Daniel Lopez' });
      expect([patch.status, merge.status]).toEqual([404, 404]);
    }
    expect((await subgraph(otherKb)).nodes).toEqual([]);
    const viewer = (await addMember(t.http, admin, tenant, { role: 'viewer', knowledge_base_ids: [kb.id] }))
      .token;
    await t.http.get(graphPath(kb, '/labels')).set(bearer(viewer)).expect(200);
  });

  it('extracts with the tenant LLM in LightRAG format, skipping malformed lines, with a gleaning pass', async () => {
    await withTenantLlm('extractor', async (llm) => {
      const kb = await createKnowledgeBase(t.http, admin, tenant, {
        config: { extraction: { method: 'llm' } },
      });
      const reply = (content: string) => ({
        body: JSON.stringify({
          choices: [{ message: { content } }],
          usage: { prompt_tokens: 50, completion_tokens: 30 },
        }),
      });
      llm.play(
        reply(
          [
            'entity<|#|>Maria Lopez<|#|>person<|#|>Chief executive of Northwind Traders.',
            'entity<|#|>Northwind Traders<|#|>organization<|#|>A trading company.',
            'entity<|#|><|#|>person<|#|>A record without a name.',
            'relation<|#|>Maria Lopez<|#|>Northwind Traders<|#|>leadership<|#|>Maria Lopez runs Northwind Traders.',
            'relation<|#|>Maria Lopez<|#|>only three fields',
            'Sure! Anything else?',
            '<|COMPLETE|>',
          ].join('\n'),
        ),
        reply(
          '("entity"<|>"Daniel Lopez"<|>"person"<|>"Founder of Bluefin Analytics.")##' +
            '("relationship"<|>"Daniel Lopez"<|>"Maria Lopez"<|>"Siblings."<|>"family"<|>7)<|COMPLETE|>',
        ),
      );
      await addAndWait(kb, GRAPH_CORPUS.people);
      const graph = await subgraph(kb);
      expect(graph.labels).toEqual(['Daniel Lopez', 'Maria Lopez', 'Northwind Traders']);
      expect(graph.pairs.sort()).toEqual(['Daniel Lopez ~ Maria Lopez', 'Maria Lopez ~ Northwind Traders']);
      const maria = await t.http.get(graphPath(kb, '/entities/Maria%20Lopez')).set(bearer(admin)).expect(200);
      expect(maria.body.description).toBe('Chief executive of Northwind Traders.');
      expect(maria.body.relations.find((r: { entity: string }) => r.entity === 'Daniel Lopez')).toMatchObject(
        {
          keywords: 'family',
          weight: 7,
        },
      );
      // Extraction calls are the model's: one pass and one gleaning pass for the one chunk.
      const calls = llm.requests.filter((r) => r.path.endsWith('/chat/completions'));
      expect(calls).toHaveLength(2);
      expect(calls[0].body.model).toBe('extractor');
    });
  });

  it('walks from the person a question names, not from the people with a similar name', async () => {
    const kb = await createKnowledgeBase(t.http, admin, tenant);
    const companies = [
      ['Maria Lopez', 'Northwind Traders', 'Oslo'],
      ['Maria Silva', 'Bluefin Analytics', 'Lisbon'],
      ['Daniel Lopez', 'Cobalt Labs', 'Vienna'],
      ['Maria Chen', 'Granite Partners', 'Prague'],
      ['Pavel Lopez', 'Summit Holdings', 'Krakow'],
    ];
    const ids = new Map<string, string>();
    for (const [leader, company, city] of companies) {
      const text = `# Leadership\n\n${leader} is the chief executive of ${company}. The board meets quarterly.`;
      ids.set(leader, await addAndWait(kb, { title: `Leadership of ${company}`, text }));
      const office = `# Offices\n\n${company} is headquartered in ${city}. The building has a canteen.`;
      ids.set(company, await addAndWait(kb, { title: `Offices of ${company}`, text: office }));
    }
    const res = await t.http
      .post(`/api/v1/tenants/${tenant.id}/knowledge-bases/${kb.id}/query`)
      .set(bearer(admin))
      .send({
        query: 'Where is the company that Maria Lopez leads headquartered?',
        mode: 'local',
        chunk_top_k: 10,
      })
      .expect(200);
    // Maria Lopez names one person: the walk starts from her alone (the people who only share a
    // name with her are reached through the role they share, not walked from), so it reaches her
    // company's office and no other company's.
    const found = res.body.references.map((r: { document_id: string }) => r.document_id);
    expect(found).toEqual(expect.arrayContaining([ids.get('Maria Lopez'), ids.get('Northwind Traders')]));
    const otherOffices = companies.slice(1).map(([, company]) => ids.get(company));
    expect(found.filter((id: string) => otherOffices.includes(id))).toEqual([]);

    // mix lets the graph lead for a question that names someone: its first two references are her
    // and her company's office, where full text alone ranks her namesakes' documents high.
    const mixed = await t.http
      .post(`/api/v1/tenants/${tenant.id}/knowledge-bases/${kb.id}/query`)
      .set(bearer(admin))
      .send({
        query: 'Where is the company that Maria Lopez leads headquartered?',
        mode: 'mix',
        chunk_top_k: 2,
      })
      .expect(200);
    expect(mixed.body.references.map((r: { document_id: string }) => r.document_id).sort()).toEqual(
      [ids.get('Maria Lopez'), ids.get('Northwind Traders')].sort(),
    );
  });

  it('answers a two-hop question in local, global, hybrid and mix modes with references to both documents', async () => {
    const kb = await createKnowledgeBase(t.http, admin, tenant);
    const people = await addAndWait(kb, GRAPH_CORPUS.people);
    const places = await addAndWait(kb, GRAPH_CORPUS.places);
    const question = 'Where is the company that Maria Lopez leads headquartered?';
    for (const mode of ['local', 'global', 'hybrid', 'mix']) {
      const res = await t.http
        .post(`/api/v1/tenants/${tenant.id}/knowledge-bases/${kb.id}/query`)
        .set(bearer(admin))
        .send({ query: question, mode })
        .expect(200);
      const documents = new Set(res.body.references.map((r: { document_id: string }) => r.document_id));
      expect({ mode, documents: [...documents].sort() }).toEqual({
        mode,
        documents: [people, places].sort(),
      });
      expect(res.body.mode).toBe(mode);
      expect(res.body.answer).toMatch(/Oslo/);
      expect(res.body.keywords.low_level).toContain('Maria Lopez');
      expect(res.body.relations.length).toBeGreaterThan(0);
      const pairs = res.body.relations.map((r: { source: string; target: string }) =>
        [r.source, r.target].sort().join(' ~ '),
      );
      if (mode !== 'global') {
        expect(res.body.entities.map((e: { name: string }) => e.name)).toContain('Maria Lopez');
        // The second hop: from Maria Lopez through Northwind Traders to Oslo.
        expect(pairs).toEqual(
          expect.arrayContaining(['Maria Lopez ~ Northwind Traders', 'Northwind Traders ~ Oslo']),
        );
      } else {
        expect(pairs).toContain('Northwind Traders ~ Oslo');
      }
    }
    // A KB's default mode is mix.
    const byDefault = await t.http
      .post(`/api/v1/tenants/${tenant.id}/knowledge-bases/${kb.id}/query`)
      .set(bearer(admin))
      .send({ query: question, only_need_context: true })
      .expect(200);
    expect(byDefault.body.mode).toBe('mix');
    expect(byDefault.body.context).toMatch(/^Entities:\n[\s\S]*\n\nRelations:\n[\s\S]*\n\nSources:\n\[1\]/);

    // Another KB of the tenant answers nothing of it, in any mode.
    const otherKb = await createKnowledgeBase(t.http, admin, tenant);
    for (const mode of ['local', 'global', 'hybrid', 'mix']) {
      const res = await t.http
        .post(`/api/v1/tenants/${tenant.id}/knowledge-bases/${otherKb.id}/query`)
        .set(bearer(admin))
        .send({ query: question, mode })
        .expect(200);
      expect({ mode, references: res.body.references, entities: res.body.entities }).toEqual({
        mode,
        references: [],
        entities: [],
      });
    }
  });

  it("takes a graph mode's keywords from the tenant LLM when there is one", async () => {
    const kb = await createKnowledgeBase(t.http, admin, tenant);
    await addAndWait(kb, GRAPH_CORPUS.people);
    await addAndWait(kb, GRAPH_CORPUS.places);
    await withTenantLlm('keywords', async (llm) => {
      llm.play({
        body: JSON.stringify({
          choices: [
            {
              message: {
                content:
                  '{"high_level_keywords": ["headquarters"], "low_level_keywords": ["Northwind Traders"]}',
              },
            },
          ],
          usage: { prompt_tokens: 20, completion_tokens: 10 },
        }),
      });
      const res = await t.http
        .post(`/api/v1/tenants/${tenant.id}/knowledge-bases/${kb.id}/query`)
        .set(bearer(admin))
        .send({ query: 'Where is Northwind based?', mode: 'local' })
        .expect(200);
      expect(res.body.keywords).toEqual({ high_level: ['headquarters'], low_level: ['Northwind Traders'] });
      expect(res.body.entities[0].name).toBe('Northwind Traders');
      expect(res.body.answer_source).toBe('llm');
      // Keywords and the answer: both calls' tokens are counted.
      expect(res.body.usage.llm_tokens_in).toBeGreaterThan(20);
    });
  });

  it('lets editors create and delete entities and relations, and keeps that over later extraction', async () => {
    const kb = await createKnowledgeBase(t.http, admin, tenant);
    await addAndWait(kb, GRAPH_CORPUS.people);
    await addAndWait(kb, GRAPH_CORPUS.places);
    const editor = (await addMember(t.http, admin, tenant, { role: 'editor', knowledge_base_ids: [kb.id] }))
      .token;
    const viewer = (await addMember(t.http, admin, tenant, { role: 'viewer', knowledge_base_ids: [kb.id] }))
      .token;
    const entity = (name: string) =>
      t.http.get(graphPath(kb, `/entities/${encodeURIComponent(name)}`)).set(bearer(admin));
    const relatedTo = async (name: string) =>
      ((await entity(name).expect(200)).body.relations as Array<{ entity: string }>)
        .map((r) => r.entity)
        .sort();
    const failure = (res: { status: number; body: { code?: string } }) => ({
      status: res.status,
      code: res.body.code,
    });

    // An entity no document mentions.
    const created = await t.http
      .post(graphPath(kb, '/entities'))
      .set(bearer(editor))
      .send({ name: 'Harbor Logistics', type: 'organization', description: 'A freight forwarder in Oslo.' })
      .expect(201);
    expect(created.body).toMatchObject({
      label: 'Harbor Logistics',
      type: 'organization',
      description: 'A freight forwarder in Oslo.',
      degree: 0,
      relations: [],
    });
    const again = await t.http
      .post(graphPath(kb, '/entities'))
      .set(bearer(editor))
      .send({ name: 'harbor logistics' });
    expect(failure(again)).toEqual({ status: 409, code: 'ENTITY_EXISTS' });
    expect(
      (await t.http.post(graphPath(kb, '/entities')).set(bearer(viewer)).send({ name: 'X Corp' })).status,
    ).toBe(403);
    expect(
      failure(await t.http.post(graphPath(kb, '/entities')).set(bearer(editor)).send({ name: '' })),
    ).toEqual({
      status: 400,
      code: 'VALIDATION_FAILED',
    });

    // A relation between it and an entity the documents made.
    const relation = await t.http
      .post(graphPath(kb, '/relations'))
      .set(bearer(editor))
      .send({
        source: 'Harbor Logistics',
        target: 'oslo',
        keywords: 'office',
        description: 'Based in Oslo.',
        weight: 2,
      })
      .expect(201);
    expect(relation.body).toMatchObject({ keywords: 'office', description: 'Based in Oslo.', weight: 2 });
    expect([relation.body.source, relation.body.target].sort()).toEqual(['Harbor Logistics', 'Oslo']);
    expect(await relatedTo('Harbor Logistics')).toEqual(['Oslo']);
    expect((await entity('Harbor Logistics')).body.degree).toBe(1);
    const twice = await t.http
      .post(graphPath(kb, '/relations'))
      .set(bearer(editor))
      .send({ source: 'Oslo', target: 'Harbor Logistics' });
    expect(failure(twice)).toEqual({ status: 409, code: 'RELATION_EXISTS' });
    const toNobody = await t.http
      .post(graphPath(kb, '/relations'))
      .set(bearer(editor))
      .send({ source: 'Harbor Logistics', target: 'Nobody Ltd' });
    expect(failure(toNobody)).toEqual({ status: 404, code: 'ENTITY_NOT_FOUND' });

    // Deleting an entity the documents made takes its relations with it, and stays deleted when
    // a later document mentions it again.
    expect(await relatedTo('Oslo')).toEqual(['Harbor Logistics', 'Northwind Traders']);
    await t.http.delete(graphPath(kb, '/entities/Northwind%20Traders')).set(bearer(editor)).expect(204);
    expect(failure(await entity('Northwind Traders'))).toEqual({ status: 404, code: 'ENTITY_NOT_FOUND' });
    expect(await relatedTo('Oslo')).toEqual(['Harbor Logistics']);
    expect(await relatedTo('Maria Lopez')).not.toContain('Northwind Traders');
    await addAndWait(kb, { title: 'Again', text: 'Northwind Traders opened an office in Bergen last year.' });
    expect((await entity('Northwind Traders')).status).toBe(404);
    expect(await relatedTo('Bergen')).toEqual([]);
    expect((await subgraph(kb)).labels).not.toContain('Northwind Traders');

    // Deleting a relation the documents made: gone, and not brought back by a document saying it again.
    const lisbon = (await entity('Lisbon').expect(200)).body.relations as Array<{
      id: string;
      entity: string;
    }>;
    const founded = lisbon.find((r) => r.entity === 'Bluefin Analytics')!;
    await t.http
      .delete(graphPath(kb, `/relations/${founded.id}`))
      .set(bearer(editor))
      .expect(204);
    expect(await relatedTo('Lisbon')).not.toContain('Bluefin Analytics');
    await addAndWait(kb, { title: 'Lisbon', text: 'Bluefin Analytics grew fast in Lisbon.' });
    expect(await relatedTo('Lisbon')).not.toContain('Bluefin Analytics');
    expect(
      failure(await t.http.delete(graphPath(kb, `/relations/${founded.id}`)).set(bearer(editor))),
    ).toEqual({
      status: 404,
      code: 'RELATION_NOT_FOUND',
    });
    expect(
      (await t.http.delete(graphPath(kb, `/relations/${relation.body.id}`)).set(bearer(viewer))).status,
    ).toBe(403);
    await t.http
      .delete(graphPath(kb, `/relations/${relation.body.id}`))
      .set(bearer(editor))
      .expect(204);
    expect(await relatedTo('Harbor Logistics')).toEqual([]);
    expect((await entity('Harbor Logistics')).body.degree).toBe(0);

    // Created again, a deleted entity is back with what its documents say.
    const back = await t.http
      .post(graphPath(kb, '/entities'))
      .set(bearer(editor))
      .send({ name: 'Northwind Traders', type: 'company' })
      .expect(201);
    expect(back.body.type).toBe('company');
    expect(back.body.relations.map((r: { entity: string }) => r.entity)).toEqual(
      expect.arrayContaining(['Maria Lopez', 'Bergen']),
    );

    for (const action of [
      'graph.entity.create',
      'graph.entity.delete',
      'graph.relation.create',
      'graph.relation.delete',
    ]) {
      const events = await t.http
        .get(`/api/v1/tenants/${tenant.id}/audit?action=${action}`)
        .set(bearer(admin))
        .expect(200);
      // Refused attempts (a viewer's, a name taken) are audited too, as denied and error.
      expect((events.body.items as Array<{ outcome: string }>).map((e) => e.outcome)).toContain('success');
    }
  });

  it('renames an entity: its relations, edits and later mentions go to the new name', async () => {
    const kb = await createKnowledgeBase(t.http, admin, tenant);
    await addAndWait(kb, GRAPH_CORPUS.people);
    await addAndWait(kb, GRAPH_CORPUS.places);
    const path = (name: string) => graphPath(kb, `/entities/${encodeURIComponent(name)}`);
    const relatedTo = async (name: string) =>
      (
        (await t.http.get(path(name)).set(bearer(admin)).expect(200)).body.relations as Array<{
          entity: string;
        }>
      )
        .map((r) => r.entity)
        .sort();
    await t.http.patch(path('Bluefin Analytics')).set(bearer(admin)).send({ type: 'company' }).expect(200);
    await t.http
      .post(graphPath(kb, '/relations'))
      .set(bearer(admin))
      .send({ source: 'Bluefin Analytics', target: 'Oslo', keywords: 'office' })
      .expect(201);
    const before = await relatedTo('Bluefin Analytics');

    const taken = await t.http.patch(path('Bluefin Analytics')).set(bearer(admin)).send({ name: 'Lisbon' });
    expect({ status: taken.status, code: taken.body.code }).toEqual({ status: 409, code: 'ENTITY_EXISTS' });
    const renamed = await t.http
      .patch(path('Bluefin Analytics'))
      .set(bearer(admin))
      .send({ name: 'Bluefin Data', description: 'Market data.' })
      .expect(200);
    expect(renamed.body).toMatchObject({
      label: 'Bluefin Data',
      type: 'company',
      description: 'Market data.',
    });
    expect((await t.http.get(path('Bluefin Analytics')).set(bearer(admin))).status).toBe(404);
    expect(await relatedTo('Bluefin Data')).toEqual(before);
    expect(before).toContain('Oslo');

    await addAndWait(kb, { title: 'Later', text: 'Bluefin Analytics hired twelve engineers in Porto.' });
    expect((await t.http.get(path('Bluefin Analytics')).set(bearer(admin))).status).toBe(404);
    expect(await relatedTo('Bluefin Data')).toContain('Porto');
    const events = await t.http
      .get(`/api/v1/tenants/${tenant.id}/audit?action=graph.entity.update`)
      .set(bearer(admin))
      .expect(200);
    expect(
      (events.body.items as Array<{ details: Record<string, unknown> }>).some(
        (e) => e.details.renamed_from === 'bluefin analytics',
      ),
    ).toBe(true);
  });

  it('lets editors change entities and relations, keeps their changes over later extraction, and merges entities', async () => {
    const kb = await createKnowledgeBase(t.http, admin, tenant);
    await addAndWait(kb, GRAPH_CORPUS.people);
    await addAndWait(kb, GRAPH_CORPUS.places);
    const editor = (await addMember(t.http, admin, tenant, { role: 'editor', knowledge_base_ids: [kb.id] }))
      .token;
    const viewer = (await addMember(t.http, admin, tenant, { role: 'viewer', knowledge_base_ids: [kb.id] }))
      .token;
    const entityPath = graphPath(kb, '/entities/Northwind%20Traders');

    const edited = await t.http
      .patch(entityPath)
      .set(bearer(editor))
      .send({ type: 'company', description: 'A Norwegian trading house.' })
      .expect(200);
    expect(edited.body).toMatchObject({ type: 'company', description: 'A Norwegian trading house.' });
    expect((await t.http.patch(entityPath).set(bearer(viewer)).send({ type: 'x' })).status).toBe(403);
    const empty = await t.http.patch(entityPath).set(bearer(editor)).send({});
    expect({ status: empty.status, code: empty.body.code }).toEqual({
      status: 400,
      code: 'VALIDATION_FAILED',
    });

    // A later document mentioning the entity does not undo the edit.
    await addAndWait(kb, { title: 'More', text: 'Northwind Traders opened an office in Bergen last year.' });
    expect((await t.http.get(entityPath).set(bearer(admin))).body.description).toBe(
      'A Norwegian trading house.',
    );
    const cleared = await t.http
      .patch(entityPath)
      .set(bearer(editor))
      .send({ description: null })
      .expect(200);
    expect(cleared.body.description).toContain('Bergen');
    expect(cleared.body.type).toBe('company');

    const { body } = await t.http
      .get(graphPath(kb, '?label=Northwind%20Traders&max_depth=1'))
      .set(bearer(admin));
    const oslo = body.nodes.find((n: { label: string }) => n.label === 'Oslo');
    const edge = body.edges.find((e: { source: string; target: string }) =>
      [e.source, e.target].includes(oslo.id),
    );
    const relation = await t.http
      .patch(graphPath(kb, `/relations/${edge.id}`))
      .set(bearer(editor))
      .send({ keywords: 'headquarters', weight: 5 })
      .expect(200);
    expect(relation.body).toMatchObject({ keywords: 'headquarters', weight: 5 });
    expect([relation.body.source, relation.body.target].sort()).toEqual(['Northwind Traders', 'Oslo']);
    const badId = await t.http
      .patch(graphPath(kb, '/relations/not-a-uuid'))
      .set(bearer(editor))
      .send({ weight: 1 });
    expect({ status: badId.status, code: badId.body.code }).toEqual({ status: 400, code: 'INVALID_ID' });
    const unknown = await t.http
      .patch(graphPath(kb, '/relations/00000000-0000-4000-8000-000000000000'))
      .set(bearer(editor))
      .send({ weight: 1 });
    expect({ status: unknown.status, code: unknown.body.code }).toEqual({
      status: 404,
      code: 'RELATION_NOT_FOUND',
    });

    const merged = await t.http
      .post(graphPath(kb, '/entities/merge'))
      .set(bearer(editor))
      .send({ source: 'Bluefin Analytics', target: 'northwind traders' })
      .expect(200);
    expect(merged.body.label).toBe('Northwind Traders');
    expect(merged.body.relations.map((r: { entity: string }) => r.entity)).toEqual(
      expect.arrayContaining(['Daniel Lopez', 'Lisbon']),
    );
    expect(merged.body.relations.map((r: { entity: string }) => r.entity)).not.toContain('Bluefin Analytics');
    expect((await t.http.get(graphPath(kb, '/entities/Bluefin%20Analytics')).set(bearer(admin))).status).toBe(
      404,
    );
    // Later mentions of the merged name go to the entity that stayed.
    await addAndWait(kb, { title: 'Later', text: 'Bluefin Analytics hired twelve engineers in Porto.' });
    expect((await t.http.get(graphPath(kb, '/entities/Bluefin%20Analytics')).set(bearer(admin))).status).toBe(
      404,
    );
    const labels = await t.http.get(graphPath(kb, '/labels?q=porto')).set(bearer(admin)).expect(200);
    expect(labels.body.labels.map((l: { name: string }) => l.name)).toEqual(['Porto']);
    const after = await t.http.get(entityPath).set(bearer(admin)).expect(200);
    expect(after.body.relations.map((r: { entity: string }) => r.entity)).toContain('Porto');
    const same = await t.http
      .post(graphPath(kb, '/entities/merge'))
      .set(bearer(editor))
      .send({ source: 'Oslo', target: 'OSLO' });
    expect(same.status).toBe(400);

    for (const action of ['graph.entity.update', 'graph.relation.update', 'graph.entity.merge']) {
      const events = await t.http
        .get(`/api/v1/tenants/${tenant.id}/audit?action=${action}`)
        .set(bearer(admin))
        .expect(200);
      const items = events.body.items as Array<{ outcome: string }>;
      expect({ action, outcomes: [...new Set(items.map((e) => e.outcome))] }).toEqual({
        action,
        outcomes: expect.arrayContaining(['success']),
      });
    }

    await t.http
      .patch(`/api/v1/tenants/${tenant.id}/knowledge-bases/${kb.id}`)
      .set(bearer(admin))
      .send({ status: 'archived' })
      .expect(200);
    const archived = await t.http.patch(entityPath).set(bearer(editor)).send({ type: 'x' });
    expect({ status: archived.status, code: archived.body.code }).toEqual({
      status: 409,
      code: 'KB_ARCHIVED',
    });
  });
});
