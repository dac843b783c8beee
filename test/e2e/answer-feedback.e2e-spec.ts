import { DataSource } from 'typeorm';
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
import { POLICY_DOCUMENTS } from '../fixtures/policies';
import { rawText } from '../support/sse';
import { describeE2E, startTestApp, TestApp } from '../support/test-app';

const NAIVE = { config: { query: { default_mode: 'naive' } } };

describeE2E('feedback on answers', () => {
  let t: TestApp;
  let tenant: Tenant;
  let admin: string;
  let kb: KnowledgeBase;
  let travel: KnowledgeBase;
  let member: string;
  let editor: string;
  const base = () => `/api/v1/tenants/${tenant.id}/conversations`;
  const feedbackOf = (k: KnowledgeBase) => `/api/v1/tenants/${tenant.id}/knowledge-bases/${k.id}/feedback`;

  /** A conversation of `token`'s with these KBs and one answered question; answers its ids. */
  const answered = async (token: string, kbs: KnowledgeBase[], query: string) => {
    const conversation = (
      await t.http
        .post(base())
        .set(bearer(token))
        .send({ knowledge_base_ids: kbs.map((k) => k.id) })
        .expect(201)
    ).body.id as string;
    const answer = await t.http
      .post(`${base()}/${conversation}/messages`)
      .set(bearer(token))
      .send({ query })
      .expect(200);
    return {
      conversation,
      turn: answer.body.turn_id as string,
      path: `${base()}/${conversation}/turns/${answer.body.turn_id}/feedback`,
    };
  };

  beforeAll(async () => {
    t = await startTestApp();
    const platform = await loginAdmin(t.http);
    tenant = await createTenant(t.http, platform);
    admin = (await addMember(t.http, platform, tenant, { role: 'admin' })).token;
    await t.http
      .patch(`/api/v1/tenants/${tenant.id}/config`)
      .set(bearer(admin))
      .send({ privacy: { store_query_text: true } })
      .expect(200);
    kb = await createKnowledgeBase(t.http, admin, tenant, NAIVE);
    travel = await createKnowledgeBase(t.http, admin, tenant, NAIVE);
    for (const [name, text] of Object.entries(POLICY_DOCUMENTS)) {
      const target = name === 'travel' ? travel : kb;
      await waitForDocument(
        t.http,
        admin,
        tenant,
        target,
        await addTextDocument(t.http, admin, tenant, target, text),
      );
    }
    member = (await addMember(t.http, admin, tenant, { role: 'viewer' })).token;
    editor = (await addMember(t.http, admin, tenant, { role: 'editor', knowledge_base_ids: [kb.id] })).token;
  });
  afterAll(() => t.close());

  it('lets the owner rate an answer, change the rating and take it back, audited', async () => {
    const { conversation, turn, path } = await answered(
      member,
      [kb],
      'By how much did quarterly revenue grow?',
    );
    const up = await t.http.put(path).set(bearer(member)).send({ rating: 'up' }).expect(200);
    expect(up.body).toMatchObject({ rating: 'up', comment: null, reference_id: null });
    const down = await t.http
      .put(path)
      .set(bearer(member))
      .send({ rating: 'down', comment: 'Cites the wrong quarter', reference_id: 1 })
      .expect(200);
    expect(down.body).toMatchObject({ rating: 'down', comment: 'Cites the wrong quarter', reference_id: 1 });
    const read = await t.http.get(`${base()}/${conversation}`).set(bearer(member)).expect(200);
    expect(read.body.turns[0].feedback).toMatchObject({ rating: 'down', reference_id: 1 });

    await t.http.delete(path).set(bearer(member)).expect(204);
    const again = await t.http.delete(path).set(bearer(member)).expect(404);
    expect(again.body.code).toBe('FEEDBACK_NOT_FOUND');
    const cleared = await t.http.get(`${base()}/${conversation}`).set(bearer(member)).expect(200);
    expect(cleared.body.turns[0].feedback).toBeNull();

    const actions = await t.app
      .get(DataSource)
      .query(
        `SELECT action, details FROM audit_events WHERE tenant_id = $1 AND resource_id = $2 AND outcome = 'success' ORDER BY seq`,
        [tenant.id, turn],
      );
    expect(actions.map((a: { action: string }) => a.action)).toEqual([
      'feedback.rate',
      'feedback.rate',
      'feedback.delete',
    ]);
    expect(actions[1].details).toMatchObject({
      conversation_id: conversation,
      rating: 'down',
      reference_id: 1,
    });
  });

  it('refuses ratings of answers one does not own, of missing turns, and of references the answer lacks', async () => {
    const { conversation, path } = await answered(member, [kb], 'When does the cafeteria open?');
    const otherMember = (await addMember(t.http, admin, tenant, { role: 'viewer' })).token;
    for (const token of [otherMember, admin]) {
      const res = await t.http.put(path).set(bearer(token)).send({ rating: 'down' }).expect(404);
      expect(res.body.code).toBe('CONVERSATION_NOT_FOUND');
    }
    const missing = await t.http
      .put(`${base()}/${conversation}/turns/00000000-0000-4000-8000-000000000000/feedback`)
      .set(bearer(member))
      .send({ rating: 'up' })
      .expect(404);
    expect(missing.body.code).toBe('TURN_NOT_FOUND');
    const unknown = await t.http
      .put(path)
      .set(bearer(member))
      .send({ rating: 'down', reference_id: 9 })
      .expect(400);
    expect(unknown.body.code).toBe('UNKNOWN_REFERENCE');
    for (const body of [
      { rating: 'meh' },
      {},
      { rating: 'up', comment: 'x'.repeat(2001) },
      { rating: 'up', reference_id: 0 },
    ]) {
      const bad = await t.http.put(path).set(bearer(member)).send(body).expect(400);
      expect(bad.body.code).toBe('VALIDATION_FAILED');
    }
    await t.http
      .put(`${base()}/${conversation}/turns/nope/feedback`)
      .set(bearer(member))
      .send({ rating: 'up' })
      .expect(400);
  });

  it('lists the ratings of a KB’s answers to its editors and admins, filtered and exported', async () => {
    const good = await answered(member, [kb], 'What does the cafeteria serve on Fridays?');
    const bad = await answered(member, [kb], 'Which region drove revenue growth?');
    await t.http.put(good.path).set(bearer(member)).send({ rating: 'up' }).expect(200);
    await t.http
      .put(bad.path)
      .set(bearer(member))
      .send({ rating: 'down', comment: 'Wrong region', reference_id: 1 })
      .expect(200);

    const all = await t.http.get(feedbackOf(kb)).set(bearer(editor)).expect(200);
    const turns = all.body.items.map((item: { turn_id: string }) => item.turn_id);
    expect(turns.indexOf(bad.turn)).toBeLessThan(turns.indexOf(good.turn));
    const downs = await t.http.get(feedbackOf(kb)).query({ rating: 'down' }).set(bearer(editor)).expect(200);
    const item = downs.body.items.find((i: { turn_id: string }) => i.turn_id === bad.turn);
    expect(item).toMatchObject({
      rating: 'down',
      comment: 'Wrong region',
      conversation_id: bad.conversation,
      knowledge_base_ids: [kb.id],
      question: 'Which region drove revenue growth?',
      mode: 'naive',
      reference: expect.objectContaining({ id: 1, knowledge_base_id: kb.id }),
    });
    expect(downs.body.items.every((i: { rating: string }) => i.rating === 'down')).toBe(true);
    const paged = await t.http.get(feedbackOf(kb)).query({ limit: 1 }).set(bearer(admin)).expect(200);
    expect(paged.body.items).toHaveLength(1);
    expect(paged.body.next_cursor).toEqual(expect.any(String));
    const later = await t.http
      .get(feedbackOf(kb))
      .query({ since: new Date(Date.now() + 60_000).toISOString() })
      .set(bearer(admin))
      .expect(200);
    expect(later.body.items).toEqual([]);

    const exported = await t.http
      .get(feedbackOf(kb))
      .query({ format: 'ndjson', rating: 'down' })
      .set(bearer(admin))
      .buffer(true)
      .parse(rawText)
      .expect(200);
    const lines = (exported.body as string)
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.map((line) => line.turn_id)).toContain(bad.turn);
    expect(lines.every((line) => line.rating === 'down')).toBe(true);

    // Viewers do not read feedback; an editor not assigned to the KB does not see it at all.
    await t.http.get(feedbackOf(kb)).set(bearer(member)).expect(403);
    await t.http.get(feedbackOf(travel)).set(bearer(editor)).expect(404);
  });

  it('shows an answer drawn from several KBs only to those who see all of them', async () => {
    const across = await answered(member, [kb, travel], 'revenue growth and flights');
    await t.http.put(across.path).set(bearer(member)).send({ rating: 'down' }).expect(200);
    const asEditor = await t.http.get(feedbackOf(kb)).set(bearer(editor)).expect(200);
    expect(asEditor.body.items.map((i: { turn_id: string }) => i.turn_id)).not.toContain(across.turn);
    for (const k of [kb, travel]) {
      const asAdmin = await t.http.get(feedbackOf(k)).set(bearer(admin)).expect(200);
      expect(asAdmin.body.items.map((i: { turn_id: string }) => i.turn_id)).toContain(across.turn);
    }
  });

  it('counts ratings in the tenant’s usage', async () => {
    const usage = await t.http.get(`/api/v1/tenants/${tenant.id}/usage`).set(bearer(admin)).expect(200);
    const rows = await t.app.get(DataSource).query(
      `SELECT count(*) FILTER (WHERE rating = 'up')::int AS up, count(*) FILTER (WHERE rating = 'down')::int AS down
         FROM answer_feedback WHERE tenant_id = $1`,
      [tenant.id],
    );
    expect(rows[0].up + rows[0].down).toBeGreaterThan(0);
    expect(usage.body.feedback).toEqual({
      up: rows[0].up,
      down: rows[0].down,
      up_rate: Math.round((rows[0].up / (rows[0].up + rows[0].down)) * 1000) / 1000,
    });
    expect(usage.body.daily[0]).toMatchObject({ answers_up: rows[0].up, answers_down: rows[0].down });
  });

  it('takes the ratings with their conversation', async () => {
    const { conversation, path } = await answered(member, [kb], 'When does the cafeteria open?');
    await t.http.put(path).set(bearer(member)).send({ rating: 'up' }).expect(200);
    await t.http.delete(`${base()}/${conversation}`).set(bearer(member)).expect(204);
    const rows = await t.app
      .get(DataSource)
      .query(`SELECT turn_id FROM answer_feedback WHERE conversation_id = $1`, [conversation]);
    expect(rows).toEqual([]);
  });
});
