import { DataSource } from 'typeorm';
import { ConversationRetentionJob } from '@strata/conversations';
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
import { OpenAiCompatibleServer } from '../support/openai-compatible-server';
import { parseEventStream, rawText } from '../support/sse';
import { describeE2E, startTestApp, TestApp } from '../support/test-app';

const NAIVE = { config: { query: { default_mode: 'naive' } } };

interface Message {
  role: string;
  content: string;
}

describeE2E('conversations', () => {
  let t: TestApp;
  let provider: OpenAiCompatibleServer;
  let platform: string;
  let tenant: Tenant;
  let admin: string;
  let kb: KnowledgeBase;
  let second: KnowledgeBase;
  let member: { token: string; userId: string };
  let colleague: string;
  const ids: Record<string, string> = {};
  const base = (tn: Tenant = tenant) => `/api/v1/tenants/${tn.id}/conversations`;

  /** The messages the LLM got for the last answer. */
  const lastPrompt = (): Message[] => {
    const chats = provider.requests.filter((r) => r.path.endsWith('/chat/completions'));
    return chats.at(-1)!.body.messages as Message[];
  };

  const start = (token: string, kbs: string[], title?: string) =>
    t.http
      .post(base())
      .set(bearer(token))
      .send({ knowledge_base_ids: kbs, ...(title ? { title } : {}) })
      .expect(201);

  beforeAll(async () => {
    t = await startTestApp();
    provider = await OpenAiCompatibleServer.start();
    platform = await loginAdmin(t.http);
    tenant = await createTenant(t.http, platform);
    admin = (await addMember(t.http, platform, tenant, { role: 'admin' })).token;
    await t.http
      .patch(`/api/v1/tenants/${tenant.id}/config`)
      .set(bearer(admin))
      .send({
        llm: { base_url: provider.url, model: 'test-chat', api_key: 'sk-conversations', timeout_ms: 2000 },
        privacy: { store_query_text: true },
      })
      .expect(200);
    kb = await createKnowledgeBase(t.http, admin, tenant, NAIVE);
    second = await createKnowledgeBase(t.http, admin, tenant, NAIVE);
    for (const [name, text] of Object.entries(POLICY_DOCUMENTS)) {
      ids[name] = await addTextDocument(t.http, admin, tenant, name === 'travel' ? second : kb, text);
      await waitForDocument(t.http, admin, tenant, name === 'travel' ? second : kb, ids[name]);
    }
    member = await addMember(t.http, admin, tenant, { role: 'viewer' });
    colleague = (await addMember(t.http, admin, tenant, { role: 'viewer' })).token;
  });
  afterAll(async () => {
    await t.close();
    await provider.stop();
  });

  it('keeps each answer as a turn and gives the stored turns to the next question as history', async () => {
    const created = await start(member.token, [kb.slug]);
    expect(created.body).toMatchObject({ title: 'New conversation', knowledge_base_ids: [kb.id], turns: [] });
    const id = created.body.id as string;

    const first = await t.http
      .post(`${base()}/${id}/messages`)
      .set(bearer(member.token))
      .send({ query: 'By how much did quarterly revenue grow?' })
      .expect(200);
    expect(first.body).toMatchObject({
      conversation_id: id,
      answer_source: 'llm',
      turn_id: expect.any(String),
    });
    expect(first.body.references[0]).toMatchObject({ document_id: ids.revenue, knowledge_base_id: kb.id });
    // The first question had no history: the system prompt and the question only.
    expect(lastPrompt().map((m) => m.role)).toEqual(['system', 'user']);

    await t.http
      .post(`${base()}/${id}/messages`)
      .set(bearer(member.token))
      .send({ query: 'And what does the cafeteria serve on Fridays?' })
      .expect(200);
    const prompt = lastPrompt();
    expect(prompt.slice(1, 3)).toEqual([
      { role: 'user', content: 'By how much did quarterly revenue grow?' },
      { role: 'assistant', content: first.body.answer },
    ]);

    const read = await t.http.get(`${base()}/${id}`).set(bearer(member.token)).expect(200);
    expect(read.body.title).toBe('By how much did quarterly revenue grow?');
    expect(read.body.turns).toHaveLength(2);
    expect(read.body.turns[0]).toMatchObject({
      id: first.body.turn_id,
      question: 'By how much did quarterly revenue grow?',
      answer: first.body.answer,
      answer_source: 'llm',
      mode: 'naive',
      model: 'test-chat',
      references: [expect.objectContaining({ document_id: ids.revenue, snippet: expect.any(String) })],
    });
    expect(read.body.turns[0].timings_ms.total).toEqual(expect.any(Number));
    expect(read.body.turns[1].question).toBe('And what does the cafeteria serve on Fridays?');

    // History the caller sends replaces the stored one.
    await t.http
      .post(`${base()}/${id}/messages`)
      .set(bearer(member.token))
      .send({
        query: 'Which region drove the revenue growth?',
        conversation_history: [{ role: 'user', content: 'my own history' }],
      })
      .expect(200);
    expect(lastPrompt().slice(1, 2)).toEqual([{ role: 'user', content: 'my own history' }]);

    // The query is audited as any query, naming its conversation.
    const [event] = await t.app
      .get(DataSource)
      .query(
        `SELECT details, actor_id FROM audit_events WHERE tenant_id = $1 AND action = 'query.run' ORDER BY seq DESC LIMIT 1`,
        [tenant.id],
      );
    expect(event).toMatchObject({ actor_id: member.userId, details: { conversation_id: id } });
  });

  it('keeps the last turns that fit the KB’s history budget', async () => {
    const small = await createKnowledgeBase(t.http, admin, tenant, {
      config: { query: { default_mode: 'naive', max_history_tokens: 20 } },
    });
    const doc = await addTextDocument(t.http, admin, tenant, small, POLICY_DOCUMENTS.revenue);
    await waitForDocument(t.http, admin, tenant, small, doc);
    const id = (await start(member.token, [small.id])).body.id;
    for (const query of [
      'first question about revenue',
      'second question about revenue',
      'third question about revenue',
    ]) {
      await t.http.post(`${base()}/${id}/messages`).set(bearer(member.token)).send({ query }).expect(200);
    }
    // Newest first while they fit: the second exchange (about 15 tokens), not the first one too.
    const history = lastPrompt().slice(1, -1);
    expect(history.map((m) => m.content)).toEqual([
      'second question about revenue',
      expect.stringContaining('[1]'),
    ]);
    expect(JSON.stringify(history)).not.toContain('first question about revenue');
  });

  it('lists, renames and deletes the caller’s own conversations, audited', async () => {
    const one = (await start(member.token, [kb.id], 'Revenue')).body.id;
    const two = (await start(member.token, [second.id], 'Travel')).body.id;
    const listed = await t.http.get(base()).set(bearer(member.token)).query({ limit: 1 }).expect(200);
    expect(listed.body.items.map((c: { id: string }) => c.id)).toEqual([two]);
    const next = await t.http
      .get(base())
      .set(bearer(member.token))
      .query({ limit: 1, cursor: listed.body.next_cursor })
      .expect(200);
    expect(next.body.items.map((c: { id: string }) => c.id)).toEqual([one]);
    const onlySecond = await t.http
      .get(base())
      .set(bearer(member.token))
      .query({ knowledge_base_id: second.slug })
      .expect(200);
    expect(onlySecond.body.items.map((c: { id: string }) => c.id)).toEqual([two]);

    const renamed = await t.http
      .patch(`${base()}/${one}`)
      .set(bearer(member.token))
      .send({ title: 'Quarterly figures' })
      .expect(200);
    expect(renamed.body.title).toBe('Quarterly figures');
    await t.http.delete(`${base()}/${one}`).set(bearer(member.token)).expect(204);
    const gone = await t.http.get(`${base()}/${one}`).set(bearer(member.token)).expect(404);
    expect(gone.body.code).toBe('CONVERSATION_NOT_FOUND');
    const actions = await t.app
      .get(DataSource)
      .query(
        `SELECT action FROM audit_events WHERE tenant_id = $1 AND resource_id = $2 AND outcome = 'success' ORDER BY seq`,
        [tenant.id, one],
      );
    expect(actions.map((a: { action: string }) => a.action)).toEqual([
      'conversation.create',
      'conversation.update',
      'conversation.delete',
    ]);
  });

  it('answers 404 for another member’s conversation, the tenant admin’s included, and for other tenants', async () => {
    const id = (await start(member.token, [kb.id], 'Mine')).body.id;
    for (const token of [colleague, admin]) {
      for (const req of [
        t.http.get(`${base()}/${id}`),
        t.http.patch(`${base()}/${id}`).send({ title: 'taken' }),
        t.http.post(`${base()}/${id}/messages`).send({ query: 'revenue' }),
        t.http.delete(`${base()}/${id}`),
      ]) {
        const res = await req.set(bearer(token)).expect(404);
        expect(res.body.code).toBe('CONVERSATION_NOT_FOUND');
      }
      const list = await t.http.get(base()).set(bearer(token)).expect(200);
      expect(list.body.items.map((c: { id: string }) => c.id)).not.toContain(id);
    }
    const other = await createTenant(t.http, platform);
    const otherAdmin = (await addMember(t.http, platform, other, { role: 'admin' })).token;
    await t.http
      .get(`${base(other)}/${id}`)
      .set(bearer(otherAdmin))
      .expect(404);
    await t.http.get(`${base()}/${id}`).set(bearer(otherAdmin)).expect(404);
    await t.http.get(`${base()}/${id}`).set(bearer(member.token)).expect(200);
  });

  it('hides a conversation from a member who lost one of its KBs, and refuses KBs they cannot see', async () => {
    const narrowed = await addMember(t.http, admin, tenant, { role: 'viewer' });
    const id = (await start(narrowed.token, [kb.id, second.id], 'Both')).body.id;
    await t.http
      .patch(`/api/v1/tenants/${tenant.id}/members/${narrowed.userId}`)
      .set(bearer(admin))
      .send({ knowledge_base_ids: [kb.id] })
      .expect(200);
    await t.http.get(`${base()}/${id}`).set(bearer(narrowed.token)).expect(404);
    await t.http
      .post(`${base()}/${id}/messages`)
      .set(bearer(narrowed.token))
      .send({ query: 'x' })
      .expect(404);
    const list = await t.http.get(base()).set(bearer(narrowed.token)).expect(200);
    expect(list.body.items).toEqual([]);
    const refused = await t.http
      .post(base())
      .set(bearer(narrowed.token))
      .send({ knowledge_base_ids: [kb.id, second.id] })
      .expect(404);
    expect(refused.body.code).toBe('KB_NOT_FOUND');
  });

  it('asks every KB of the conversation, and streams with the turn named in done', async () => {
    const id = (await start(member.token, [kb.id, second.id])).body.id;
    const res = await t.http
      .post(`${base()}/${id}/messages`)
      .set(bearer(member.token))
      .send({ query: 'revenue growth and flights shorter than six hours', stream: true })
      .buffer(true)
      .parse(rawText)
      .expect(200);
    const events = parseEventStream(res.body as string);
    const references = events[0].data.references as Array<{ knowledge_base_id: string }>;
    expect(new Set(references.map((r) => r.knowledge_base_id))).toEqual(new Set([kb.id, second.id]));
    const done = events.at(-1)!;
    expect(done.event).toBe('done');
    expect(done.data).toMatchObject({ conversation_id: id, turn_id: expect.any(String) });
    const read = await t.http.get(`${base()}/${id}`).set(bearer(member.token)).expect(200);
    expect(read.body.turns.map((turn: { id: string }) => turn.id)).toEqual([done.data.turn_id]);
  });

  it('keeps no text for a tenant that keeps no query text, and history comes from the caller then', async () => {
    const quiet = await createTenant(t.http, platform);
    const quietAdmin = (await addMember(t.http, platform, quiet, { role: 'admin' })).token;
    await t.http
      .patch(`/api/v1/tenants/${quiet.id}/config`)
      .set(bearer(quietAdmin))
      .send({ llm: { base_url: provider.url, model: 'test-chat', api_key: 'sk-quiet' } })
      .expect(200);
    const quietKb = await createKnowledgeBase(t.http, quietAdmin, quiet, NAIVE);
    const doc = await addTextDocument(t.http, quietAdmin, quiet, quietKb, POLICY_DOCUMENTS.revenue);
    await waitForDocument(t.http, quietAdmin, quiet, quietKb, doc);
    const created = await t.http
      .post(base(quiet))
      .set(bearer(quietAdmin))
      .send({ knowledge_base_ids: [quietKb.id] })
      .expect(201);
    const id = created.body.id;
    for (const query of ['How did revenue grow?', 'And in the north?']) {
      await t.http
        .post(`${base(quiet)}/${id}/messages`)
        .set(bearer(quietAdmin))
        .send({ query })
        .expect(200);
    }
    expect(lastPrompt().map((m) => m.role)).toEqual(['system', 'user']);
    const read = await t.http
      .get(`${base(quiet)}/${id}`)
      .set(bearer(quietAdmin))
      .expect(200);
    expect(read.body.title).toBe('New conversation');
    expect(read.body.turns).toHaveLength(2);
    expect(read.body.turns[0]).toMatchObject({
      question: null,
      answer: null,
      mode: 'naive',
      model: 'test-chat',
    });
    expect(read.body.turns[0].references[0]).toMatchObject({ document_id: doc });
    expect(read.body.turns[0].references[0]).not.toHaveProperty('snippet');
    const rows = await t.app
      .get(DataSource)
      .query(`SELECT * FROM conversation_turns WHERE conversation_id = $1`, [id]);
    expect(JSON.stringify(rows)).not.toMatch(/revenue|north|nine percent/i);
  });

  it('exports every member’s conversations to the tenant admin only, audited', async () => {
    const id = (await start(member.token, [kb.id], 'For the record')).body.id;
    await t.http
      .post(`${base()}/${id}/messages`)
      .set(bearer(member.token))
      .send({ query: 'When does the cafeteria open?' })
      .expect(200);
    const res = await t.http
      .get(`${base()}/export`)
      .set(bearer(admin))
      .buffer(true)
      .parse(rawText)
      .expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/x-ndjson/);
    const lines = (res.body as string)
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const exported = lines.find((line) => line.id === id);
    expect(exported).toMatchObject({
      owner: { type: 'user', id: member.userId },
      title: 'For the record',
      knowledge_base_ids: [kb.id],
      turns: [expect.objectContaining({ question: 'When does the cafeteria open?' })],
    });
    const future = await t.http
      .get(`${base()}/export`)
      .query({ since: new Date(Date.now() + 3_600_000).toISOString() })
      .set(bearer(admin))
      .buffer(true)
      .parse(rawText)
      .expect(200);
    expect(future.body).toBe('');
    await t.http.get(`${base()}/export`).set(bearer(member.token)).expect(403);
    const [event] = await t.app
      .get(DataSource)
      .query(
        `SELECT outcome FROM audit_events WHERE tenant_id = $1 AND action = 'conversation.export' ORDER BY seq LIMIT 1`,
        [tenant.id],
      );
    expect(event).toEqual({ outcome: 'success' });
  });

  it('goes with a KB it asked when the KB is deleted', async () => {
    const doomed = await createKnowledgeBase(t.http, admin, tenant, NAIVE);
    const id = (await start(member.token, [kb.id, doomed.id], 'Doomed')).body.id;
    const kept = (await start(member.token, [kb.id], 'Kept')).body.id;
    await t.http
      .delete(`/api/v1/tenants/${tenant.id}/knowledge-bases/${doomed.id}`)
      .set(bearer(admin))
      .expect(204);
    await t.http.get(`${base()}/${id}`).set(bearer(member.token)).expect(404);
    await t.http.get(`${base()}/${kept}`).set(bearer(member.token)).expect(200);
    const rows = await t.app.get(DataSource).query(`SELECT id FROM conversations WHERE id = $1`, [id]);
    expect(rows).toEqual([]);
  });

  it('removes turns older than the tenant’s retention, then conversations left empty; other tenants keep theirs', async () => {
    const db = t.app.get(DataSource);
    const ask = (tn: Tenant, token: string, id: string) =>
      t.http
        .post(`${base(tn)}/${id}/messages`)
        .set(bearer(token))
        .send({ query: 'revenue growth' })
        .expect(200);
    const age = (conversationId: string, days: number) =>
      db.query(
        `UPDATE conversation_turns SET created_at = now() - make_interval(days => $2) WHERE conversation_id = $1`,
        [conversationId, days],
      );
    const ageConversation = (conversationId: string, days: number) =>
      db.query(`UPDATE conversations SET updated_at = now() - make_interval(days => $2) WHERE id = $1`, [
        conversationId,
        days,
      ]);
    const old = (await start(member.token, [kb.id], 'Old')).body.id;
    const mixed = (await start(member.token, [kb.id], 'Mixed')).body.id;
    await ask(tenant, member.token, old);
    await ask(tenant, member.token, mixed);
    await age(old, 40);
    await ageConversation(old, 40);
    await age(mixed, 40);
    await ask(tenant, member.token, mixed);
    // Another tenant without a retention keeps its old turns.
    const other = await createTenant(t.http, platform);
    const otherAdmin = (await addMember(t.http, platform, other, { role: 'admin' })).token;
    const otherKb = await createKnowledgeBase(t.http, otherAdmin, other, NAIVE);
    const otherId = (
      await t.http
        .post(base(other))
        .set(bearer(otherAdmin))
        .send({ knowledge_base_ids: [otherKb.id] })
        .expect(201)
    ).body.id;
    await ask(other, otherAdmin, otherId);
    await age(otherId, 400);
    await ageConversation(otherId, 400);

    const setting = await t.http
      .patch(`/api/v1/tenants/${tenant.id}/config`)
      .set(bearer(admin))
      .send({ conversations: { retention_days: 30 } })
      .expect(200);
    expect(setting.body.conversations).toEqual({ retention_days: 30 });
    const outcomes = await t.app.get(ConversationRetentionJob).run();
    expect(outcomes.find((o) => o.tenantId === tenant.id)).toEqual({
      tenantId: tenant.id,
      turns: 2,
      conversations: 1,
    });
    expect(outcomes.find((o) => o.tenantId === other.id)).toBeUndefined();

    await t.http.get(`${base()}/${old}`).set(bearer(member.token)).expect(404);
    const kept = await t.http.get(`${base()}/${mixed}`).set(bearer(member.token)).expect(200);
    expect(kept.body.turns).toHaveLength(1);
    const untouched = await t.http
      .get(`${base(other)}/${otherId}`)
      .set(bearer(otherAdmin))
      .expect(200);
    expect(untouched.body.turns).toHaveLength(1);
    const [event] = await db.query(
      `SELECT actor_type, details FROM audit_events WHERE tenant_id = $1 AND action = 'conversation.retention'`,
      [tenant.id],
    );
    expect(event).toMatchObject({
      actor_type: 'system',
      details: { retention_days: 30, turns: 2, conversations: 1 },
    });
    // Nothing left to remove: a second run records nothing.
    expect(await t.app.get(ConversationRetentionJob).run()).toEqual([]);

    await t.http
      .patch(`/api/v1/tenants/${tenant.id}/config`)
      .set(bearer(admin))
      .send({ conversations: { retention_days: 0 } })
      .expect(400);
    const cleared = await t.http
      .patch(`/api/v1/tenants/${tenant.id}/config`)
      .set(bearer(admin))
      .send({ conversations: null })
      .expect(200);
    expect(cleared.body.conversations).toEqual({ retention_days: null });
  });

  it('refuses bad input with clear codes', async () => {
    const empty = await t.http
      .post(base())
      .set(bearer(member.token))
      .send({ knowledge_base_ids: [] })
      .expect(400);
    expect(empty.body.code).toBe('VALIDATION_FAILED');
    const badId = await t.http.get(`${base()}/not-a-uuid`).set(bearer(member.token)).expect(400);
    expect(badId.body.code).toBe('INVALID_ID');
    const id = (await start(member.token, [kb.id])).body.id;
    await t.http.patch(`${base()}/${id}`).set(bearer(member.token)).send({ title: '' }).expect(400);
    await t.http.post(`${base()}/${id}/messages`).set(bearer(member.token)).send({}).expect(400);
    await t.http.get(base()).query({ cursor: 'nope!' }).set(bearer(member.token)).expect(400);
  });
});
