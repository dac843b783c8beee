import { DataSource } from 'typeorm';
import {
  addMember,
  bearer,
  createKnowledgeBase,
  createTenant,
  KnowledgeBase,
  loginAdmin,
  Tenant,
} from '../factories';
import { GRAPH_CORPUS } from '../fixtures/graph-corpus';
import { until } from '../support/eventually';
import { describeE2E, startTestApp, TestApp } from '../support/test-app';

const LIGHTRAG_ERROR = {
  detail: expect.any(String),
  code: expect.any(String),
  request_id: expect.any(String),
};

/** LightRAG's graph edits over a KB whose documents came in through LightRAG's document routes. */
describeE2E('LightRAG-compatible graph edits', () => {
  let t: TestApp;
  let tenant: Tenant;
  let admin: string;
  let editor: string;
  let viewer: string;
  let kb: KnowledgeBase;
  let outsider: string;
  const base = () => `/api/v1/tenants/${tenant.id}/knowledge-bases/${kb.slug}/lightrag`;
  const entity = async (name: string) =>
    t.http
      .get(`/api/v1/tenants/${tenant.id}/knowledge-bases/${kb.id}/graph/entities/${encodeURIComponent(name)}`)
      .set(bearer(admin));

  beforeAll(async () => {
    t = await startTestApp();
    const platform = await loginAdmin(t.http);
    tenant = await createTenant(t.http, platform);
    admin = (await addMember(t.http, platform, tenant, { role: 'admin' })).token;
    kb = await createKnowledgeBase(t.http, admin, tenant);
    editor = (await addMember(t.http, admin, tenant, { role: 'editor', knowledge_base_ids: [kb.id] })).token;
    viewer = (await addMember(t.http, admin, tenant, { role: 'viewer', knowledge_base_ids: [kb.id] })).token;
    const elsewhere = await createTenant(t.http, platform);
    outsider = (await addMember(t.http, platform, elsewhere, { role: 'admin' })).token;
    const added = await t.http
      .post(`${base()}/documents/texts`)
      .set(bearer(editor))
      .send({
        texts: [GRAPH_CORPUS.people.text, GRAPH_CORPUS.places.text],
        file_sources: [GRAPH_CORPUS.people.title, GRAPH_CORPUS.places.title],
      })
      .expect(200);
    // The graph is built after the documents are searchable: wait until nothing is in flight.
    await until(async () => {
      const status = await t.http.get(`${base()}/documents/pipeline_status`).set(bearer(viewer)).expect(200);
      return status.body.busy === false;
    }, 30_000);
    expect(added.body.status).toBe('success');
  }, 60_000);
  afterAll(() => t.close());

  it("edits an entity's type and description, and refuses a rename", async () => {
    const res = await t.http
      .post(`${base()}/graph/entity/edit`)
      .set(bearer(editor))
      .send({
        entity_name: 'northwind traders',
        updated_data: { entity_type: 'ORGANIZATION', description: 'A Norwegian trading house.' },
        allow_rename: false,
      })
      .expect(200);
    expect(res.body).toEqual({
      status: 'success',
      message: 'Entity updated successfully',
      data: {
        entity_name: 'Northwind Traders',
        graph_data: {
          entity_id: 'Northwind Traders',
          entity_type: 'ORGANIZATION',
          description: 'A Norwegian trading house.',
          source_id: expect.any(String),
        },
      },
    });
    expect((await entity('Northwind Traders')).body).toMatchObject({ type: 'ORGANIZATION' });

    const withoutLeave = await t.http
      .post(`${base()}/graph/entity/edit`)
      .set(bearer(editor))
      .send({ entity_name: 'Oslo', updated_data: { entity_name: 'Christiania' } })
      .expect(400);
    expect(withoutLeave.body).toEqual({ ...LIGHTRAG_ERROR, code: 'VALIDATION_FAILED' });
    expect(withoutLeave.body.detail).toContain('allow_rename');
    const onto = await t.http
      .post(`${base()}/graph/entity/edit`)
      .set(bearer(editor))
      .send({ entity_name: 'Oslo', updated_data: { entity_name: 'Lisbon' }, allow_rename: true })
      .expect(409);
    expect(onto.body).toEqual({ ...LIGHTRAG_ERROR, code: 'ENTITY_EXISTS' });
    for (const bad of [
      { entity_name: 'Northwind Traders', updated_data: {} },
      { entity_name: 'Northwind Traders', updated_data: { founded: 1901 } },
      { entity_name: 'Northwind Traders' },
      { entity_name: 'Northwind Traders', updated_data: 'ORGANIZATION' },
      { entity_name: 'Northwind Traders', updated_data: null },
    ]) {
      const refused = await t.http
        .post(`${base()}/graph/entity/edit`)
        .set(bearer(editor))
        .send(bad)
        .expect(400);
      expect(refused.body.code).toBe('VALIDATION_FAILED');
    }
    const missing = await t.http
      .post(`${base()}/graph/entity/edit`)
      .set(bearer(editor))
      .send({ entity_name: 'Atlantis', updated_data: { description: 'Sunk.' } })
      .expect(404);
    expect(missing.body).toEqual({ ...LIGHTRAG_ERROR, code: 'ENTITY_NOT_FOUND' });
  });

  it('renames an entity with allow_rename: its relations and later mentions go with it', async () => {
    const before = (await entity('Maria Lopez')).body;
    const renamed = await t.http
      .post(`${base()}/graph/entity/edit`)
      .set(bearer(editor))
      .send({
        entity_name: 'Maria Lopez',
        updated_data: { entity_name: 'Maria Lopez Berg', description: 'Chief executive.' },
        allow_rename: true,
      })
      .expect(200);
    expect(renamed.body.data).toMatchObject({
      entity_name: 'Maria Lopez Berg',
      graph_data: {
        entity_id: 'Maria Lopez Berg',
        entity_type: before.type,
        description: 'Chief executive.',
      },
    });
    expect((await entity('Maria Lopez')).status).toBe(404);
    const after = (await entity('Maria Lopez Berg')).body;
    expect(after.relations.map((r: { entity: string }) => r.entity).sort()).toEqual(
      before.relations.map((r: { entity: string }) => r.entity).sort(),
    );
    expect(after.source_chunk_ids).toEqual(before.source_chunk_ids);
    // Only the way it is written: the same entity.
    const recased = await t.http
      .post(`${base()}/graph/entity/edit`)
      .set(bearer(editor))
      .send({ entity_name: 'maria lopez berg', updated_data: { entity_name: 'MARIA LOPEZ BERG' } })
      .expect(200);
    expect(recased.body.data.entity_name).toBe('MARIA LOPEZ BERG');
  });

  it('edits the relation between two entities, named either way round', async () => {
    const res = await t.http
      .post(`${base()}/graph/relation/edit`)
      .set(bearer(editor))
      .send({
        source_id: 'Oslo',
        target_id: 'Northwind Traders',
        updated_data: { keywords: 'headquarters', weight: 5 },
      })
      .expect(200);
    expect(res.body.status).toBe('success');
    expect(res.body.data.graph_data).toMatchObject({ keywords: 'headquarters', weight: 5 });
    expect([res.body.data.src_entity, res.body.data.tgt_entity].sort()).toEqual([
      'Northwind Traders',
      'Oslo',
    ]);
    const none = await t.http
      .post(`${base()}/graph/relation/edit`)
      .set(bearer(editor))
      .send({ source_id: 'Oslo', target_id: 'Atlantis', updated_data: { weight: 1 } })
      .expect(404);
    expect(none.body).toEqual({ ...LIGHTRAG_ERROR, code: 'RELATION_NOT_FOUND' });
  });

  it('merges entities into one, all of them or none, and audits each merge', async () => {
    const unknown = await t.http
      .post(`${base()}/graph/entities/merge`)
      .set(bearer(editor))
      .send({
        entities_to_change: ['Bluefin Analytics', 'Atlantis'],
        entity_to_change_into: 'Northwind Traders',
      })
      .expect(404);
    expect(unknown.body).toEqual({ ...LIGHTRAG_ERROR, code: 'ENTITY_NOT_FOUND' });
    expect((await entity('Bluefin Analytics')).status).toBe(200);

    const merged = await t.http
      .post(`${base()}/graph/entities/merge`)
      .set(bearer(editor))
      .send({
        entities_to_change: ['Bluefin Analytics', 'BLUEFIN ANALYTICS'],
        entity_to_change_into: 'Northwind Traders',
      })
      .expect(200);
    expect(merged.body).toMatchObject({
      status: 'success',
      message: "Successfully merged 1 entity into 'Northwind Traders'",
      data: { entity_name: 'Northwind Traders' },
    });
    expect((await entity('Bluefin Analytics')).status).toBe(404);
    const relations = (await entity('Northwind Traders')).body.relations.map(
      (r: { entity: string }) => r.entity,
    );
    expect(relations).toEqual(expect.arrayContaining(['Daniel Lopez', 'Lisbon']));
    const events = await t.app
      .get(DataSource)
      .query('SELECT action, outcome FROM audit_events WHERE request_id = $1', [
        merged.headers['x-request-id'],
      ]);
    expect(events).toEqual([{ action: 'graph.entity.merge', outcome: 'success' }]);
  });

  it('creates and deletes entities and relations in LightRAG shapes', async () => {
    const created = await t.http
      .post(`${base()}/graph/entity/create`)
      .set(bearer(editor))
      .send({
        entity_name: 'Harbor Logistics',
        entity_data: { entity_type: 'ORGANIZATION', description: 'Freight.' },
      })
      .expect(200);
    expect(created.body).toEqual({
      status: 'success',
      message: "Entity 'Harbor Logistics' created successfully",
      data: {
        entity_name: 'Harbor Logistics',
        graph_data: {
          entity_id: 'Harbor Logistics',
          entity_type: 'ORGANIZATION',
          description: 'Freight.',
          source_id: '',
        },
      },
    });
    const taken = await t.http
      .post(`${base()}/graph/entity/create`)
      .set(bearer(editor))
      .send({ entity_name: 'HARBOR LOGISTICS', entity_data: {} })
      .expect(409);
    expect(taken.body).toEqual({ ...LIGHTRAG_ERROR, code: 'ENTITY_EXISTS' });

    const relation = await t.http
      .post(`${base()}/graph/relation/create`)
      .set(bearer(editor))
      .send({
        source_entity: 'Harbor Logistics',
        target_entity: 'Lisbon',
        relation_data: { keywords: 'office', description: 'An office in Lisbon.', weight: 2 },
      })
      .expect(200);
    expect(relation.body).toEqual({
      status: 'success',
      message: "Relation created successfully between 'Harbor Logistics' and 'Lisbon'",
      data: {
        src_entity: expect.any(String),
        tgt_entity: expect.any(String),
        graph_data: { keywords: 'office', description: 'An office in Lisbon.', weight: 2 },
      },
    });
    const toNowhere = await t.http
      .post(`${base()}/graph/relation/create`)
      .set(bearer(editor))
      .send({ source_entity: 'Harbor Logistics', target_entity: 'Atlantis', relation_data: {} })
      .expect(404);
    expect(toNowhere.body).toEqual({ ...LIGHTRAG_ERROR, code: 'ENTITY_NOT_FOUND' });

    const unrelated = await t.http
      .delete(`${base()}/documents/delete_relation`)
      .set(bearer(editor))
      .send({ source_entity: 'Lisbon', target_entity: 'Harbor Logistics' })
      .expect(200);
    expect(unrelated.body).toEqual({
      status: 'success',
      doc_id: 'Lisbon -> Harbor Logistics',
      message: "Relation from 'Lisbon' to 'Harbor Logistics' has been deleted.",
      status_code: 200,
    });
    expect((await entity('Harbor Logistics')).body.relations).toEqual([]);
    const gone = await t.http
      .delete(`${base()}/documents/delete_entity`)
      .set(bearer(editor))
      .send({ entity_name: 'harbor logistics' })
      .expect(200);
    expect(gone.body).toMatchObject({ status: 'success', doc_id: 'harbor logistics', status_code: 200 });
    expect((await entity('Harbor Logistics')).status).toBe(404);
    const again = await t.http
      .delete(`${base()}/documents/delete_entity`)
      .set(bearer(editor))
      .send({ entity_name: 'Harbor Logistics' })
      .expect(404);
    expect(again.body).toEqual({ ...LIGHTRAG_ERROR, code: 'ENTITY_NOT_FOUND' });
    expect(
      (
        await t.http
          .delete(`${base()}/documents/delete_entity`)
          .set(bearer(viewer))
          .send({ entity_name: 'Lisbon' })
      ).status,
    ).toBe(403);
    for (const [method, path, body] of [
      ['post', '/graph/entity/create', { entity_name: 'X', entity_data: {} }],
      [
        'post',
        '/graph/relation/create',
        { source_entity: 'Oslo', target_entity: 'Lisbon', relation_data: {} },
      ],
      ['delete', '/documents/delete_entity', { entity_name: 'Oslo' }],
      ['delete', '/documents/delete_relation', { source_entity: 'Oslo', target_entity: 'Lisbon' }],
    ] as const) {
      const res = await t.http[method](`${base()}${path}`).set(bearer(outsider)).send(body).expect(404);
      expect(res.body).toEqual({ ...LIGHTRAG_ERROR, code: 'TENANT_NOT_FOUND' });
    }
    expect((await entity('Oslo')).status).toBe(200);
  });

  it("is an editor's: a viewer gets 403, another tenant 404", async () => {
    const edit = { entity_name: 'Oslo', updated_data: { description: 'A city.' } };
    const refused = await t.http
      .post(`${base()}/graph/entity/edit`)
      .set(bearer(viewer))
      .send(edit)
      .expect(403);
    expect(refused.body).toEqual({ ...LIGHTRAG_ERROR, code: 'FORBIDDEN' });
    for (const [path, body] of [
      ['/graph/entity/edit', edit],
      ['/graph/relation/edit', { source_id: 'Oslo', target_id: 'Lisbon', updated_data: { weight: 1 } }],
      ['/graph/entities/merge', { entities_to_change: ['Oslo'], entity_to_change_into: 'Lisbon' }],
    ] as const) {
      const res = await t.http.post(`${base()}${path}`).set(bearer(outsider)).send(body).expect(404);
      expect(res.body).toEqual({ ...LIGHTRAG_ERROR, code: 'TENANT_NOT_FOUND' });
    }
    expect((await entity('Oslo')).body.description).not.toBe('A city.');
  });
});
