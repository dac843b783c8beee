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
  uniqueSlug,
  waitForDocument,
} from '../factories';
import { OpenAiCompatibleServer } from '../support/openai-compatible-server';
import { describeE2E, startTestApp, TestApp } from '../support/test-app';

/**
 * The document-level isolation matrix: a KB holds an open document and one restricted to a group.
 * Whoever is not on the restricted document's list (a viewer, an editor, an API key) gets 404 on it
 * and finds nothing of it through any route or query mode: every response body is searched for
 * the marker words only the restricted document holds, for its id and for its chunks' ids. The
 * group's members (a person and an API key) and the tenant admin find it, which shows the scan
 * would see a leak.
 */
const OPEN_TEXT =
  '# Travel policy\n\nAcme Corporation books rail travel through Northwind Travel for every trip under 500 kilometres. ' +
  'Northwind Travel is based in Oslo.';
const RESTRICTED_TEXT =
  '# Salary bands\n\nAcme Corporation pays Quorvex Halloran at the Zentaril grade. ' +
  'Quorvex Halloran reports to Bellamy Strand in Oslo.';
/** Words only the restricted document holds. */
const MARKERS = ['quorvex', 'zentaril', 'bellamy'];
/** Names no marker (responses echo the question): the restricted document answers it best. */
const QUESTION = 'Which salary grade does Acme Corporation pay, and who reports to whom in Oslo?';
const MODES = ['naive', 'local', 'global', 'hybrid', 'mix'] as const;

type Caller = 'admin' | 'hrViewer' | 'hrKey' | 'viewer' | 'editor' | 'key';
const KEPT_OUT: Caller[] = ['viewer', 'editor', 'key'];
const LET_IN: Caller[] = ['admin', 'hrViewer', 'hrKey'];

describeE2E('document access lists: what a caller left out finds of a restricted document', () => {
  let t: TestApp;
  let tenant: Tenant;
  let kb: KnowledgeBase;
  let tokens: Record<Caller, string>;
  let userIds: Record<'hrViewer' | 'viewer' | 'editor', string>;
  let groupId: string;
  let openId: string;
  let restrictedId: string;
  let secrets: string[];

  const T = () => `/api/v1/tenants/${tenant.id}`;
  const K = () => `${T()}/knowledge-bases/${kb.id}`;

  beforeAll(async () => {
    t = await startTestApp();
    const platform = await loginAdmin(t.http);
    tenant = await createTenant(t.http, platform);
    const admin = await addMember(t.http, platform, tenant, { role: 'admin' });
    kb = await createKnowledgeBase(t.http, admin.token, tenant);
    const hrViewer = await addMember(t.http, admin.token, tenant, { role: 'viewer' });
    const viewer = await addMember(t.http, admin.token, tenant, { role: 'viewer' });
    const editor = await addMember(t.http, admin.token, tenant, { role: 'editor' });
    const apiKey = async (name: string) =>
      (
        await t.http
          .post(`${T()}/api-keys`)
          .set(bearer(admin.token))
          .send({ name, role: 'viewer' })
          .expect(201)
      ).body as { id: string; key: string };
    const hrKey = await apiKey('hr reader');
    const key = await apiKey('reader');
    tokens = {
      admin: admin.token,
      hrViewer: hrViewer.token,
      hrKey: hrKey.key,
      viewer: viewer.token,
      editor: editor.token,
      key: key.key,
    };
    userIds = { hrViewer: hrViewer.userId, viewer: viewer.userId, editor: editor.userId };
    groupId = (
      await t.http
        .post(`${T()}/groups`)
        .set(bearer(admin.token))
        .send({ name: uniqueSlug('HR') })
        .expect(201)
    ).body.id;
    await t.http
      .put(`${T()}/groups/${groupId}/users/${hrViewer.userId}`)
      .set(bearer(admin.token))
      .expect(204);
    await t.http.put(`${T()}/groups/${groupId}/api-keys/${hrKey.id}`).set(bearer(admin.token)).expect(204);
    // Answers are kept with their text, so that conversations and the feedback list hold them.
    await t.http
      .patch(`${T()}/config`)
      .set(bearer(admin.token))
      .send({ privacy: { store_query_text: true } })
      .expect(200);

    openId = await addTextDocument(t.http, admin.token, tenant, kb, OPEN_TEXT, { title: 'Travel policy' });
    restrictedId = await addTextDocument(t.http, admin.token, tenant, kb, RESTRICTED_TEXT, {
      title: 'Salary bands',
      access: { group_ids: [groupId] },
    });
    for (const id of [openId, restrictedId]) {
      const settled = await waitForDocument(t.http, admin.token, tenant, kb, id);
      expect(settled).toMatchObject({ status: 'processed', graph_status: 'done' });
    }
    const chunks = await t.http
      .get(`${documentsPath(tenant, kb)}/${restrictedId}/chunks`)
      .set(bearer(admin.token))
      .expect(200);
    secrets = [...MARKERS, restrictedId, ...chunks.body.items.map((c: { id: string }) => c.id)];

    // The admin's rated answer from the restricted document, for the editors' feedback list.
    const conversation = await t.http
      .post(`${T()}/conversations`)
      .set(bearer(admin.token))
      .send({ knowledge_base_ids: [kb.id] })
      .expect(201);
    const turn = await t.http
      .post(`${T()}/conversations/${conversation.body.id}/messages`)
      .set(bearer(admin.token))
      .send({ query: QUESTION, mode: 'naive' })
      .expect(200);
    expect(JSON.stringify(turn.body).toLowerCase()).toContain('quorvex');
    await t.http
      .put(`${T()}/conversations/${conversation.body.id}/turns/${turn.body.turn_id}/feedback`)
      .set(bearer(admin.token))
      .send({ rating: 'up' })
      .expect(200);
  }, 120_000);
  afterAll(() => t?.close());

  /** Every response a caller gets from the routes that read the KB's content, with its text. */
  async function responsesOf(
    caller: Caller,
  ): Promise<Array<{ route: string; status: number; text: string }>> {
    const out: Array<{ route: string; status: number; text: string }> = [];
    const auth = bearer(tokens[caller]);
    const get = async (route: string) => {
      const res = await t.http.get(route).set(auth);
      out.push({ route: `GET ${route}`, status: res.status, text: res.text });
      return res;
    };
    const post = async (route: string, body: object) => {
      const res = await t.http.post(route).set(auth).send(body);
      out.push({ route: `POST ${route}`, status: res.status, text: res.text });
      return res;
    };
    const docs = documentsPath(tenant, kb);
    await get(docs);
    await get(`${docs}/status-counts`);
    await get(`${docs}/${restrictedId}`);
    await get(`${docs}/${restrictedId}/original`);
    await get(`${docs}/${restrictedId}/chunks`);
    for (const mode of MODES) {
      await post(`${K()}/query`, { query: QUESTION, mode });
      await post(`${K()}/query`, { query: QUESTION, mode, only_need_context: true });
    }
    await post(`${K()}/query`, { query: QUESTION, mode: 'mix', stream: true });
    await post(`${T()}/query`, { query: QUESTION, knowledge_base_ids: [kb.id], mode: 'hybrid' });
    await get(`${K()}/graph?label=*`);
    await get(`${K()}/graph?label=${encodeURIComponent('Acme Corporation')}`);
    await get(`${K()}/graph/labels?q=`);
    await get(`${K()}/graph/entities/${encodeURIComponent('Quorvex Halloran')}`);
    await get(`${K()}/graph/entities/${encodeURIComponent('Acme Corporation')}`);
    await get(`${K()}/graph/entities/Oslo`);
    await get(`${K()}/lightrag/documents`);
    await post(`${K()}/lightrag/documents/paginated`, { page: 1, page_size: 50 });
    await get(`${K()}/lightrag/documents/status_counts`);
    await post(`${K()}/lightrag/query`, { query: QUESTION, mode: 'mix' });
    await post(`${K()}/lightrag/query/data`, { query: QUESTION, mode: 'hybrid' });
    await get(`${K()}/lightrag/graphs?label=*`);
    await get(`${K()}/lightrag/graph/label/list`);
    await get(`${K()}/lightrag/graph/entity/exists?name=${encodeURIComponent('Quorvex Halloran')}`);
    await post(`${T()}/openai/v1/chat/completions`, {
      model: kb.slug,
      messages: [{ role: 'user', content: QUESTION }],
    });
    await post(`${T()}/ollama/api/chat`, {
      model: kb.slug,
      messages: [{ role: 'user', content: QUESTION }],
      stream: false,
    });
    const conversation = await post(`${T()}/conversations`, { knowledge_base_ids: [kb.id] });
    await post(`${T()}/conversations/${conversation.body.id}/messages`, { query: QUESTION, mode: 'local' });
    await get(`${T()}/conversations/${conversation.body.id}`);
    if (caller === 'editor' || caller === 'admin') await get(`${K()}/feedback`);
    return out;
  }

  const leaksIn = (text: string) =>
    secrets.filter((secret) => text.toLowerCase().includes(secret.toLowerCase()));

  it.each(KEPT_OUT)('shows %s nothing of the restricted document, on any route or mode', async (caller) => {
    const responses = await responsesOf(caller);
    const leaks = responses.flatMap((r) =>
      leaksIn(r.text).map((secret) => `${r.route} (${r.status}): ${secret}`),
    );
    expect(leaks).toEqual([]);
    // Nothing failed on the way: a route that errored would show nothing for the wrong reason.
    const byRoute = new Map(responses.map((r) => [r.route, r.status]));
    expect(responses.filter((r) => r.status >= 500)).toEqual([]);
    for (const rest of ['', '/original', '/chunks']) {
      expect(byRoute.get(`GET ${documentsPath(tenant, kb)}/${restrictedId}${rest}`)).toBe(404);
    }
    expect(byRoute.get(`GET ${K()}/graph/entities/${encodeURIComponent('Quorvex Halloran')}`)).toBe(404);
    expect(byRoute.get(`GET ${K()}/graph/entities/${encodeURIComponent('Acme Corporation')}`)).toBe(200);
  });

  it.each(LET_IN)('shows %s the restricted document (so the scan would see a leak)', async (caller) => {
    const responses = await responsesOf(caller);
    const found = (route: string) => responses.find((r) => r.route === route)!;
    expect(found(`GET ${documentsPath(tenant, kb)}/${restrictedId}`).status).toBe(200);
    expect(leaksIn(found(`GET ${documentsPath(tenant, kb)}/${restrictedId}/original`).text)).toContain(
      'quorvex',
    );
    for (const mode of MODES) {
      const answer = responses.find(
        (r) => r.route === `POST ${K()}/query` && r.text.includes(`"mode":"${mode}"`),
      );
      expect(leaksIn(answer?.text ?? '')).not.toEqual([]);
    }
    expect(
      leaksIn(found(`GET ${K()}/graph/entities/${encodeURIComponent('Quorvex Halloran')}`).text),
    ).toContain('quorvex');
    expect(leaksIn(found(`GET ${K()}/graph?label=*`).text)).toContain('quorvex');
    expect(leaksIn(found(`GET ${K()}/lightrag/graph/label/list`).text)).toContain('quorvex');
  });

  it('keeps status counts and lists to what the caller may see', async () => {
    const counts = async (caller: Caller) =>
      (
        await t.http
          .get(`${documentsPath(tenant, kb)}/status-counts`)
          .set(bearer(tokens[caller]))
          .expect(200)
      ).body;
    expect((await counts('admin')).all).toBe(2);
    expect((await counts('hrViewer')).all).toBe(2);
    expect((await counts('viewer')).all).toBe(1);
    const listed = await t.http.get(documentsPath(tenant, kb)).set(bearer(tokens.editor)).expect(200);
    expect(listed.body.items.map((d: { id: string }) => d.id)).toEqual([openId]);
  });

  it('refuses an editor every change to a document hidden from them, as if it did not exist', async () => {
    const docs = documentsPath(tenant, kb);
    const auth = bearer(tokens.editor);
    expect((await t.http.patch(`${docs}/${restrictedId}`).set(auth).send({ title: 'Mine now' })).status).toBe(
      404,
    );
    expect((await t.http.post(`${docs}/${restrictedId}/reindex`).set(auth)).status).toBe(404);
    expect((await t.http.delete(`${docs}/${restrictedId}`).set(auth)).status).toBe(404);
    expect(
      (
        await t.http
          .post(`${docs}/delete`)
          .set(auth)
          .send({ ids: [restrictedId] })
      ).status,
    ).toBe(404);
    // An upload of the same text names nothing of the document it duplicates.
    const again = await t.http.post(docs).set(auth).send({ text: RESTRICTED_TEXT });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('DUPLICATE_OF_HIDDEN_DOCUMENT');
    expect(leaksIn(again.text)).toEqual([]);
    const still = await t.http.get(`${docs}/${restrictedId}`).set(bearer(tokens.admin)).expect(200);
    expect(still.body).toMatchObject({ title: 'Salary bands', status: 'processed' });
  });

  it('lets an editor restrict a document only to lists they stay on, naming groups and members of the tenant', async () => {
    const docs = documentsPath(tenant, kb);
    const auth = bearer(tokens.editor);
    const outside = await t.http
      .post(docs)
      .set(auth)
      .send({ text: 'Editor notes on the Quarterly plan.', access: { group_ids: [groupId] } });
    expect(outside.status).toBe(400);
    expect(outside.body.code).toBe('DOCUMENT_ACCESS_EXCLUDES_CALLER');
    const unknownGroup = await t.http
      .post(docs)
      .set(auth)
      .send({ text: 'Editor notes.', access: { group_ids: ['00000000-0000-4000-8000-000000000000'] } });
    expect(unknownGroup.body.code).toBe('UNKNOWN_GROUP');
    const unknownMember = await t.http
      .post(docs)
      .set(auth)
      .send({ text: 'Editor notes.', access: { user_ids: ['00000000-0000-4000-8000-000000000000'] } });
    expect(unknownMember.body.code).toBe('UNKNOWN_MEMBER');
    const own = await t.http
      .post(docs)
      .set(auth)
      .send({
        text: 'Editor notes on the Quarterly plan, for the editor.',
        access: { user_ids: [userIds.editor] },
      })
      .expect(202);
    const id = own.body.documents[0].id;
    const read = (caller: Caller) => t.http.get(`${docs}/${id}`).set(bearer(tokens[caller]));
    expect((await read('editor')).body.access).toEqual({ group_ids: [], user_ids: [userIds.editor] });
    expect((await read('viewer')).status).toBe(404);
    expect((await read('admin')).status).toBe(200);
    // Opened to the whole KB without processing it again, then gone again.
    const opened = await t.http.patch(`${docs}/${id}`).set(auth).send({ access: null }).expect(200);
    expect(opened.body.access).toBeNull();
    expect((await read('viewer')).status).toBe(200);
    await t.http.delete(`${docs}/${id}`).set(auth).expect(202);
  });

  it('gives each text of a batch its own list or the shared one, and refuses the batch if one leaves the caller out', async () => {
    const docs = documentsPath(tenant, kb);
    const auth = bearer(tokens.editor);
    const mine = { user_ids: [userIds.editor] };
    const batch = await t.http
      .post(docs)
      .set(auth)
      .send({
        access: mine,
        documents: [
          { text: 'Batch note one, under the shared list.' },
          { text: 'Batch note two, open to the KB.', access: null },
          {
            text: 'Batch note three, for the editor and the HR viewer.',
            access: { user_ids: [userIds.editor, userIds.hrViewer] },
          },
        ],
      })
      .expect(202);
    const ids: string[] = batch.body.documents.map((d: { id: string }) => d.id);
    const accessOf = async (id: string) =>
      (await t.http.get(`${docs}/${id}`).set(auth).expect(200)).body.access;
    expect(await accessOf(ids[0]!)).toEqual({ group_ids: [], user_ids: [userIds.editor] });
    expect(await accessOf(ids[1]!)).toBeNull();
    expect(await accessOf(ids[2]!)).toEqual({ group_ids: [], user_ids: [userIds.editor, userIds.hrViewer] });

    const stored = async () =>
      (await t.http.get(`${docs}/status-counts`).set(bearer(tokens.admin)).expect(200)).body.all;
    const before = await stored();
    const refused = await t.http
      .post(docs)
      .set(auth)
      .send({
        access: mine,
        documents: [
          { text: 'Batch note four.' },
          { text: 'Batch note five.', access: { group_ids: [groupId] } },
        ],
      });
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe('DOCUMENT_ACCESS_EXCLUDES_CALLER');
    expect(await stored()).toBe(before);
    await t.http.post(`${docs}/delete`).set(auth).send({ ids }).expect(202);
  });

  it("withholds an answer that cited the document: in the editors' feedback list", async () => {
    const list = await t.http.get(`${K()}/feedback`).set(bearer(tokens.editor)).expect(200);
    expect(list.body.items).toEqual([
      expect.objectContaining({ rating: 'up', withheld: true, answer: null, question: QUESTION }),
    ]);
    const asAdmin = await t.http.get(`${K()}/feedback`).set(bearer(tokens.admin)).expect(200);
    expect(asAdmin.body.items[0]).toMatchObject({ withheld: false });
    expect(leaksIn(asAdmin.body.items[0].answer)).not.toEqual([]);
  });

  it('withholds a stored answer from its owner once the document it cited is hidden from them', async () => {
    const auth = bearer(tokens.hrViewer);
    const conversation = await t.http
      .post(`${T()}/conversations`)
      .set(auth)
      .send({ knowledge_base_ids: [kb.id] })
      .expect(201);
    const path = `${T()}/conversations/${conversation.body.id}`;
    await t.http.post(`${path}/messages`).set(auth).send({ query: QUESTION, mode: 'naive' }).expect(200);
    const before = await t.http.get(path).set(auth).expect(200);
    expect(before.body.turns[0].withheld).toBe(false);
    expect(leaksIn(JSON.stringify(before.body))).not.toEqual([]);
    await t.http
      .delete(`${T()}/groups/${groupId}/users/${userIds.hrViewer}`)
      .set(bearer(tokens.admin))
      .expect(204);
    try {
      const after = await t.http.get(path).set(auth).expect(200);
      expect(after.body.turns[0]).toMatchObject({ withheld: true, answer: null, question: QUESTION });
      expect(leaksIn(JSON.stringify(after.body))).toEqual([]);
      // The next question's history, which the LLM reads, leaves the withheld exchange out.
      const llm = await OpenAiCompatibleServer.start();
      try {
        await t.http
          .patch(`${T()}/config`)
          .set(bearer(tokens.admin))
          .send({ llm: { base_url: llm.url, model: 'history-check' } })
          .expect(200);
        await t.http
          .post(`${path}/messages`)
          .set(auth)
          .send({ query: 'And the travel policy?', mode: 'naive' })
          .expect(200);
        const prompts = JSON.stringify(llm.requests.map((r) => r.body));
        expect(prompts).toContain('travel policy');
        expect(leaksIn(prompts)).toEqual([]);
      } finally {
        await t.http
          .patch(`${T()}/config`)
          .set(bearer(tokens.admin))
          .send({ llm: { base_url: null, model: null } });
        await llm.stop();
      }
    } finally {
      await t.http
        .put(`${T()}/groups/${groupId}/users/${userIds.hrViewer}`)
        .set(bearer(tokens.admin))
        .expect(204);
    }
  });

  it('follows group membership at once: a member taken out of the group loses the document', async () => {
    const docs = documentsPath(tenant, kb);
    const adminAuth = bearer(tokens.admin);
    await t.http.put(`${T()}/groups/${groupId}/users/${userIds.viewer}`).set(adminAuth).expect(204);
    await t.http.get(`${docs}/${restrictedId}`).set(bearer(tokens.viewer)).expect(200);
    await t.http.delete(`${T()}/groups/${groupId}/users/${userIds.viewer}`).set(adminAuth).expect(204);
    await t.http.get(`${docs}/${restrictedId}`).set(bearer(tokens.viewer)).expect(404);
  });
});
