import {
  addMember,
  bearer,
  createKnowledgeBase,
  createTenant,
  KnowledgeBase,
  loginAdmin,
  Tenant,
  uniqueSlug,
} from '../factories';
import { DataSource } from 'typeorm';
import { startIdentityProvider, type TestIdentityProvider } from '../support/oidc/identity-provider';
import { addIdentityProvider, oidcProviderBody } from '../support/sso-providers';
import { SSO_PUBLIC_URL, ssoBrowser, ssoCallbackPrefix } from '../support/oidc/sso-sign-in';
import { describeE2E, startTestApp, TestApp } from '../support/test-app';

/** `B.sso`: a viewer of B (KB B1) by an identity provider's group rule, signed in through it. */
type Actor = 'platform' | 'A.admin' | 'A.editor' | 'A.viewer' | 'B.admin' | 'B.editor' | 'B.viewer' | 'B.sso';
const ACTORS: Actor[] = [
  'platform',
  'A.admin',
  'A.editor',
  'A.viewer',
  'B.admin',
  'B.editor',
  'B.viewer',
  'B.sso',
];
type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

interface World {
  tenants: Record<'A' | 'B', Tenant>;
  kbs: Record<'A1' | 'A2' | 'B1' | 'B2', KnowledgeBase>;
  tokens: Record<Actor, string>;
  userIds: Record<Exclude<Actor, 'platform' | 'B.sso'>, string>;
  /** A pending invitation into A. */
  invitationId: string;
  /** A relation an editor made in A1, between "Matrix Three" and "Matrix Four". */
  relationId: string;
  /** Conversations with A1, one of A's viewer's and one of A's editor's (deleted by its row). */
  conversationIds: Record<'viewer' | 'editor', string>;
  /** The answered (and rated) turn of the viewer's conversation. */
  turnId: string;
  /** Groups of A: one kept (A's viewer in it), one the matrix deletes. */
  groupIds: Record<'kept' | 'doomed', string>;
}

interface Case {
  name: string;
  method: Method;
  path: (w: World) => string;
  body?: (w: World) => object;
  expected: Record<Actor, number>;
  /** A POST that only reads (Ollama's show): no audit event when it succeeds. */
  readOnly?: true;
  /** A GET that is audited when it succeeds (a compliance export). */
  auditedRead?: true;
}

/** `expect4` with A's admin left out: a mutation that can succeed once, which A's editor does. */
const onceByEditor = (editor: number): Record<Actor, number> => expect4(404, 0, editor, 403);

/** Expected statuses: `own` for A's roles in order admin/editor/viewer, B's actors always 404. */
const expect4 = (platform: number, admin: number, editor: number, viewer: number): Record<Actor, number> => ({
  platform,
  'A.admin': admin,
  'A.editor': editor,
  'A.viewer': viewer,
  'B.admin': 404,
  'B.editor': 404,
  'B.viewer': 404,
  'B.sso': 404,
});

const A = (w: World) => `/api/v1/tenants/${w.tenants.A.id}`;

const CASES: Case[] = [
  { name: 'read tenant', method: 'get', path: A, expected: expect4(200, 200, 200, 200) },
  {
    name: 'read tenant by slug',
    method: 'get',
    path: (w) => `/api/v1/tenants/${w.tenants.A.slug}`,
    expected: expect4(200, 200, 200, 200),
  },
  {
    name: 'update tenant',
    method: 'patch',
    path: A,
    body: (w) => ({ name: w.tenants.A.name }),
    expected: expect4(200, 403, 403, 403),
  },
  {
    name: 'delete tenant',
    method: 'delete',
    path: A,
    expected: { ...expect4(0, 403, 403, 403), platform: 0 },
  },
  {
    name: 'list members',
    method: 'get',
    path: (w) => `${A(w)}/members`,
    expected: expect4(200, 200, 403, 403),
  },
  {
    name: 'read member',
    method: 'get',
    path: (w) => `${A(w)}/members/${w.userIds['A.viewer']}`,
    expected: expect4(200, 200, 403, 403),
  },
  {
    name: 'add member',
    method: 'post',
    path: (w) => `${A(w)}/members`,
    body: () => ({ email: `${uniqueSlug('new')}@example.test`, password: 'a-long-password', role: 'viewer' }),
    // Tenant admins invite instead: adding directly would tell them which emails have accounts.
    expected: expect4(201, 403, 403, 403),
  },
  {
    name: 'invite',
    method: 'post',
    path: (w) => `${A(w)}/invitations`,
    body: () => ({ email: `${uniqueSlug('invited')}@example.test`, role: 'viewer' }),
    expected: expect4(201, 201, 403, 403),
  },
  {
    name: 'list invitations',
    method: 'get',
    path: (w) => `${A(w)}/invitations`,
    expected: expect4(200, 200, 403, 403),
  },
  {
    name: 'read invitation',
    method: 'get',
    path: (w) => `${A(w)}/invitations/${w.invitationId}`,
    expected: expect4(200, 200, 403, 403),
  },
  {
    name: 'revoke invitation',
    method: 'delete',
    path: (w) => `${A(w)}/invitations/${w.invitationId}`,
    expected: expect4(0, 204, 403, 403),
  },
  {
    name: 'update member',
    method: 'patch',
    path: (w) => `${A(w)}/members/${w.userIds['A.viewer']}`,
    body: (w) => ({ role: 'viewer', knowledge_base_ids: [w.kbs.A1.id] }),
    expected: expect4(200, 200, 403, 403),
  },
  {
    name: 'remove member',
    method: 'delete',
    path: (w) => `${A(w)}/members/${w.userIds['A.viewer']}`,
    expected: expect4(0, 0, 403, 403),
  },
  {
    name: 'list KBs',
    method: 'get',
    path: (w) => `${A(w)}/knowledge-bases`,
    expected: expect4(403, 200, 200, 200),
  },
  // Editors read groups to name them in access lists; only tenant admins change them.
  {
    name: 'list groups',
    method: 'get',
    path: (w) => `${A(w)}/groups`,
    expected: expect4(403, 200, 200, 403),
  },
  {
    name: 'read group',
    method: 'get',
    path: (w) => `${A(w)}/groups/${w.groupIds.kept}`,
    expected: expect4(403, 200, 200, 403),
  },
  {
    name: 'list group members',
    method: 'get',
    path: (w) => `${A(w)}/groups/${w.groupIds.kept}/members`,
    expected: expect4(403, 200, 200, 403),
  },
  {
    name: 'create group',
    method: 'post',
    path: (w) => `${A(w)}/groups`,
    body: () => ({ name: uniqueSlug('matrix group') }),
    expected: expect4(403, 201, 403, 403),
  },
  {
    name: 'update group',
    method: 'patch',
    path: (w) => `${A(w)}/groups/${w.groupIds.kept}`,
    body: () => ({ description: 'Kept by the matrix' }),
    expected: expect4(403, 200, 403, 403),
  },
  {
    name: 'put a member into a group',
    method: 'put',
    path: (w) => `${A(w)}/groups/${w.groupIds.kept}/users/${w.userIds['A.editor']}`,
    expected: expect4(403, 204, 403, 403),
  },
  {
    name: 'take a member out of a group',
    method: 'delete',
    path: (w) => `${A(w)}/groups/${w.groupIds.kept}/users/${w.userIds['A.editor']}`,
    expected: expect4(403, 204, 403, 403),
  },
  {
    name: 'delete group',
    method: 'delete',
    path: (w) => `${A(w)}/groups/${w.groupIds.doomed}`,
    expected: expect4(403, 204, 403, 403),
  },
  {
    name: 'create KB',
    method: 'post',
    path: (w) => `${A(w)}/knowledge-bases`,
    body: () => ({ name: 'Made in matrix', slug: uniqueSlug('matrix') }),
    expected: expect4(403, 201, 403, 403),
  },
  {
    name: 'read assigned KB',
    method: 'get',
    path: (w) => `${A(w)}/knowledge-bases/${w.kbs.A1.id}`,
    expected: expect4(404, 200, 200, 200),
  },
  {
    name: 'read assigned KB by slug',
    method: 'get',
    path: (w) => `${A(w)}/knowledge-bases/${w.kbs.A1.slug}`,
    expected: expect4(404, 200, 200, 200),
  },
  {
    name: 'read unassigned KB',
    method: 'get',
    path: (w) => `${A(w)}/knowledge-bases/${w.kbs.A2.id}`,
    expected: expect4(404, 200, 404, 404),
  },
  {
    name: 'update assigned KB',
    method: 'patch',
    path: (w) => `${A(w)}/knowledge-bases/${w.kbs.A1.id}`,
    body: () => ({ description: 'matrix' }),
    expected: expect4(404, 200, 403, 403),
  },
  {
    name: 'update unassigned KB',
    method: 'patch',
    path: (w) => `${A(w)}/knowledge-bases/${w.kbs.A2.id}`,
    body: () => ({ description: 'matrix' }),
    expected: expect4(404, 200, 404, 404),
  },
  {
    name: 'delete assigned KB',
    method: 'delete',
    path: (w) => `${A(w)}/knowledge-bases/${w.kbs.A1.id}`,
    expected: expect4(404, 0, 403, 403),
  },
  {
    name: 'delete unassigned KB',
    method: 'delete',
    path: (w) => `${A(w)}/knowledge-bases/${w.kbs.A2.id}`,
    expected: expect4(404, 0, 404, 404),
  },
  {
    name: 'query options of assigned KB',
    method: 'get',
    path: (w) => `${A(w)}/knowledge-bases/${w.kbs.A1.id}/query/options`,
    expected: expect4(404, 200, 200, 200),
  },
  {
    name: 'query options of unassigned KB',
    method: 'get',
    path: (w) => `${A(w)}/knowledge-bases/${w.kbs.A2.id}/query/options`,
    expected: expect4(404, 200, 404, 404),
  },
  {
    name: 'query across the assigned KB',
    method: 'post',
    path: (w) => `${A(w)}/query`,
    body: (w) => ({ query: 'hello there', knowledge_base_ids: [w.kbs.A1.id] }),
    expected: expect4(403, 200, 200, 200),
  },
  {
    name: 'query across an assigned and an unassigned KB',
    method: 'post',
    path: (w) => `${A(w)}/query`,
    body: (w) => ({ query: 'hello there', knowledge_base_ids: [w.kbs.A1.id, w.kbs.A2.slug] }),
    expected: expect4(403, 200, 404, 404),
  },
  {
    name: "query across A's KB and another tenant's",
    method: 'post',
    path: (w) => `${A(w)}/query`,
    body: (w) => ({ query: 'hello there', knowledge_base_ids: [w.kbs.A1.id, w.kbs.B1.id] }),
    expected: expect4(403, 404, 404, 404),
  },
  {
    name: 'list own conversations',
    method: 'get',
    path: (w) => `${A(w)}/conversations`,
    expected: expect4(403, 200, 200, 200),
  },
  {
    name: 'start a conversation with the assigned KB',
    method: 'post',
    path: (w) => `${A(w)}/conversations`,
    body: (w) => ({ knowledge_base_ids: [w.kbs.A1.slug] }),
    expected: expect4(403, 201, 201, 201),
  },
  {
    name: 'start a conversation with an unassigned KB',
    method: 'post',
    path: (w) => `${A(w)}/conversations`,
    body: (w) => ({ knowledge_base_ids: [w.kbs.A1.id, w.kbs.A2.id] }),
    expected: expect4(403, 201, 404, 404),
  },
  {
    name: "start a conversation with another tenant's KB",
    method: 'post',
    path: (w) => `${A(w)}/conversations`,
    body: (w) => ({ knowledge_base_ids: [w.kbs.B1.id] }),
    expected: expect4(403, 404, 404, 404),
  },
  {
    name: "read the viewer's conversation",
    method: 'get',
    path: (w) => `${A(w)}/conversations/${w.conversationIds.viewer}`,
    expected: expect4(403, 404, 404, 200),
  },
  {
    name: "rename the viewer's conversation",
    method: 'patch',
    path: (w) => `${A(w)}/conversations/${w.conversationIds.viewer}`,
    body: () => ({ title: 'Renamed' }),
    expected: expect4(403, 404, 404, 200),
  },
  {
    name: "ask in the viewer's conversation",
    method: 'post',
    path: (w) => `${A(w)}/conversations/${w.conversationIds.viewer}/messages`,
    body: () => ({ query: 'hello there' }),
    expected: expect4(403, 404, 404, 200),
  },
  {
    name: "delete the editor's conversation",
    method: 'delete',
    path: (w) => `${A(w)}/conversations/${w.conversationIds.editor}`,
    expected: expect4(403, 404, 204, 404),
  },
  {
    name: "rate an answer in the viewer's conversation",
    method: 'put',
    path: (w) => `${A(w)}/conversations/${w.conversationIds.viewer}/turns/${w.turnId}/feedback`,
    body: () => ({ rating: 'down', comment: 'Not quite' }),
    expected: expect4(403, 404, 404, 200),
  },
  {
    name: "take back the viewer's rating",
    method: 'delete',
    path: (w) => `${A(w)}/conversations/${w.conversationIds.viewer}/turns/${w.turnId}/feedback`,
    expected: expect4(403, 404, 404, 204),
  },
  {
    name: 'feedback on answers from the assigned KB',
    method: 'get',
    path: (w) => `${A(w)}/knowledge-bases/${w.kbs.A1.id}/feedback`,
    expected: expect4(404, 200, 200, 403),
  },
  {
    name: 'feedback on answers from an unassigned KB',
    method: 'get',
    path: (w) => `${A(w)}/knowledge-bases/${w.kbs.A2.id}/feedback`,
    expected: expect4(404, 200, 404, 404),
  },
  {
    name: 'export every member’s conversations',
    method: 'get',
    path: (w) => `${A(w)}/conversations/export`,
    expected: expect4(403, 200, 403, 403),
    auditedRead: true,
  },
  {
    name: 'OpenAI-compatible models',
    method: 'get',
    path: (w) => `${A(w)}/openai/v1/models`,
    expected: expect4(403, 200, 200, 200),
  },
  {
    name: 'OpenAI-compatible model of an assigned KB',
    method: 'get',
    path: (w) => `${A(w)}/openai/v1/models/${w.kbs.A1.slug}`,
    expected: expect4(403, 200, 200, 200),
  },
  {
    name: 'OpenAI-compatible model of an unassigned KB',
    method: 'get',
    path: (w) => `${A(w)}/openai/v1/models/${w.kbs.A2.slug}`,
    expected: expect4(403, 200, 404, 404),
  },
  {
    name: 'OpenAI-compatible chat with an assigned KB',
    method: 'post',
    path: (w) => `${A(w)}/openai/v1/chat/completions`,
    body: (w) => ({ model: w.kbs.A1.slug, messages: [{ role: 'user', content: 'hello' }] }),
    expected: expect4(403, 200, 200, 200),
  },
  {
    name: 'OpenAI-compatible chat with an unassigned KB',
    method: 'post',
    path: (w) => `${A(w)}/openai/v1/chat/completions`,
    body: (w) => ({ model: w.kbs.A2.id, messages: [{ role: 'user', content: 'hello' }] }),
    expected: expect4(403, 200, 404, 404),
  },
  {
    name: "OpenAI-compatible chat with another tenant's KB",
    method: 'post',
    path: (w) => `${A(w)}/openai/v1/chat/completions`,
    body: (w) => ({ model: w.kbs.B1.slug, messages: [{ role: 'user', content: 'hello' }] }),
    expected: expect4(403, 404, 404, 404),
  },
  {
    name: 'Ollama-compatible models',
    method: 'get',
    path: (w) => `${A(w)}/ollama/api/tags`,
    expected: expect4(403, 200, 200, 200),
  },
  {
    name: 'Ollama-compatible model of an unassigned KB',
    method: 'post',
    path: (w) => `${A(w)}/ollama/api/show`,
    body: (w) => ({ model: `${w.kbs.A2.slug}:latest` }),
    expected: expect4(403, 200, 404, 404),
    readOnly: true,
  },
  {
    name: 'Ollama-compatible chat with an assigned KB',
    method: 'post',
    path: (w) => `${A(w)}/ollama/api/chat`,
    body: (w) => ({ model: w.kbs.A1.slug, stream: false, messages: [{ role: 'user', content: 'hello' }] }),
    expected: expect4(403, 200, 200, 200),
  },
  {
    name: "Ollama-compatible generate with another tenant's KB",
    method: 'post',
    path: (w) => `${A(w)}/ollama/api/generate`,
    body: (w) => ({ model: w.kbs.B1.id, stream: false, prompt: 'hello' }),
    expected: expect4(403, 404, 404, 404),
  },
  {
    name: 'LightRAG-compatible query of an assigned KB',
    method: 'post',
    path: (w) => `${A(w)}/knowledge-bases/${w.kbs.A1.id}/lightrag/query`,
    body: () => ({ query: 'hello there' }),
    expected: expect4(404, 200, 200, 200),
  },
  {
    name: 'LightRAG-compatible query data of an unassigned KB',
    method: 'post',
    path: (w) => `${A(w)}/knowledge-bases/${w.kbs.A2.id}/lightrag/query/data`,
    body: () => ({ query: 'hello there' }),
    expected: expect4(404, 200, 404, 404),
  },
  {
    name: 'create a graph entity in an assigned KB',
    method: 'post',
    path: (w) => `${A(w)}/knowledge-bases/${w.kbs.A1.id}/graph/entities`,
    body: () => ({ name: uniqueSlug('matrix entity') }),
    expected: expect4(404, 201, 201, 403),
  },
  {
    name: 'create a graph entity in an unassigned KB',
    method: 'post',
    path: (w) => `${A(w)}/knowledge-bases/${w.kbs.A2.id}/graph/entities`,
    body: () => ({ name: uniqueSlug('matrix entity') }),
    expected: expect4(404, 201, 404, 404),
  },
  {
    name: 'delete a graph entity of an assigned KB',
    method: 'delete',
    path: (w) => `${A(w)}/knowledge-bases/${w.kbs.A1.id}/graph/entities/Matrix%20Entity`,
    expected: onceByEditor(204),
  },
  {
    name: 'create a graph relation in an assigned KB',
    method: 'post',
    path: (w) => `${A(w)}/knowledge-bases/${w.kbs.A1.id}/graph/relations`,
    body: () => ({ source: 'Matrix One', target: 'Matrix Two' }),
    expected: onceByEditor(201),
  },
  {
    name: 'delete a graph relation of an assigned KB',
    method: 'delete',
    path: (w) => `${A(w)}/knowledge-bases/${w.kbs.A1.id}/graph/relations/${w.relationId}`,
    expected: onceByEditor(204),
  },
  {
    name: 'delete a graph entity of an unassigned KB',
    method: 'delete',
    path: (w) => `${A(w)}/knowledge-bases/${w.kbs.A2.id}/graph/entities/Matrix%20Entity`,
    expected: expect4(404, 0, 404, 404),
  },
  {
    name: 'create a graph relation in an unassigned KB',
    method: 'post',
    path: (w) => `${A(w)}/knowledge-bases/${w.kbs.A2.id}/graph/relations`,
    body: () => ({ source: 'Matrix One', target: 'Matrix Two' }),
    expected: expect4(404, 0, 404, 404),
  },
  {
    name: 'delete a graph relation of an unassigned KB',
    method: 'delete',
    path: (w) => `${A(w)}/knowledge-bases/${w.kbs.A2.id}/graph/relations/${w.relationId}`,
    expected: expect4(404, 0, 404, 404),
  },
  {
    name: 'LightRAG-compatible entity creation in an unassigned KB',
    method: 'post',
    path: (w) => `${A(w)}/knowledge-bases/${w.kbs.A2.id}/lightrag/graph/entity/create`,
    body: () => ({ entity_name: uniqueSlug('matrix entity'), entity_data: {} }),
    expected: expect4(404, 200, 404, 404),
  },
  {
    name: 'document status counts of an unassigned KB',
    method: 'get',
    path: (w) => `${A(w)}/knowledge-bases/${w.kbs.A2.id}/documents/status-counts`,
    expected: expect4(404, 200, 404, 404),
  },
  {
    name: 'reindex failed documents of an unassigned KB',
    method: 'post',
    path: (w) => `${A(w)}/knowledge-bases/${w.kbs.A2.id}/documents/reindex-failed`,
    expected: expect4(404, 202, 404, 404),
  },
  {
    name: 'delete documents of an unassigned KB',
    method: 'post',
    path: (w) => `${A(w)}/knowledge-bases/${w.kbs.A2.id}/documents/delete`,
    body: () => ({ ids: ['00000000-0000-4000-8000-000000000000'] }),
    expected: expect4(404, 0, 404, 404),
  },
  {
    name: 'update a document of an unassigned KB',
    method: 'patch',
    path: (w) => `${A(w)}/knowledge-bases/${w.kbs.A2.id}/documents/00000000-0000-4000-8000-000000000000`,
    body: () => ({ title: 'Renamed' }),
    expected: expect4(404, 0, 404, 404),
  },
  {
    name: 'cancel a document of an unassigned KB',
    method: 'post',
    path: (w) =>
      `${A(w)}/knowledge-bases/${w.kbs.A2.id}/documents/00000000-0000-4000-8000-000000000000/cancel`,
    expected: expect4(404, 0, 404, 404),
  },
  {
    name: 'a deletion receipt of an unassigned KB',
    method: 'get',
    path: (w) => `${A(w)}/knowledge-bases/${w.kbs.A2.id}/deletions/00000000-0000-4000-8000-000000000000`,
    expected: expect4(404, 0, 404, 404),
  },
  {
    name: 'the original of a document of an unassigned KB',
    method: 'get',
    path: (w) =>
      `${A(w)}/knowledge-bases/${w.kbs.A2.id}/documents/00000000-0000-4000-8000-000000000000/original`,
    expected: expect4(404, 0, 404, 404),
  },
  {
    name: 'LightRAG-compatible graph labels of an unassigned KB',
    method: 'get',
    path: (w) => `${A(w)}/knowledge-bases/${w.kbs.A2.id}/lightrag/graph/label/popular`,
    expected: expect4(404, 200, 404, 404),
  },
  {
    name: 'LightRAG-compatible subgraph of an assigned KB',
    method: 'get',
    path: (w) => `${A(w)}/knowledge-bases/${w.kbs.A1.id}/lightrag/graphs?label=*`,
    expected: expect4(404, 200, 200, 200),
  },
  {
    name: 'LightRAG-compatible text into an assigned KB',
    method: 'post',
    path: (w) => `${A(w)}/knowledge-bases/${w.kbs.A1.id}/lightrag/documents/text`,
    body: () => ({ text: `A note of the matrix, ${uniqueSlug('note')}.` }),
    expected: expect4(404, 200, 200, 403),
  },
  {
    name: 'LightRAG-compatible document page of an unassigned KB',
    method: 'post',
    path: (w) => `${A(w)}/knowledge-bases/${w.kbs.A2.id}/lightrag/documents/paginated`,
    body: () => ({}),
    expected: expect4(404, 200, 404, 404),
    readOnly: true,
  },
  {
    name: 'LightRAG-compatible pipeline status of an assigned KB',
    method: 'get',
    path: (w) => `${A(w)}/knowledge-bases/${w.kbs.A1.id}/lightrag/documents/pipeline_status`,
    expected: expect4(404, 200, 200, 200),
  },
  {
    name: 'LightRAG-compatible reprocessing of an unassigned KB',
    method: 'post',
    path: (w) => `${A(w)}/knowledge-bases/${w.kbs.A2.id}/lightrag/documents/reprocess_failed`,
    expected: expect4(404, 200, 404, 404),
  },
  {
    name: "another tenant's KB under this tenant's path",
    method: 'get',
    path: (w) => `${A(w)}/knowledge-bases/${w.kbs.B1.id}`,
    expected: expect4(404, 404, 404, 404),
  },
  {
    name: "another tenant's member under this tenant's path",
    method: 'get',
    path: (w) => `${A(w)}/members/${w.userIds['B.viewer']}`,
    expected: expect4(404, 404, 403, 403),
  },
];

describeE2E('isolation matrix', () => {
  let t: TestApp;
  let idp: TestIdentityProvider;
  const w = {} as World;
  /** Every id, slug and name of one tenant's world. */
  const identifiersOf = (key: 'A' | 'B'): string[] => [
    w.tenants[key].id,
    w.tenants[key].slug,
    w.tenants[key].name,
    ...(['1', '2'] as const).flatMap((n) => {
      const kb = w.kbs[`${key}${n}`];
      return [kb.id, kb.slug, kb.name];
    }),
    ...(['admin', 'editor', 'viewer'] as const).map((role) => w.userIds[`${key}.${role}`]),
  ];

  beforeAll(async () => {
    idp = await startIdentityProvider([ssoCallbackPrefix('corp')]);
    t = await startTestApp({ PUBLIC_URL: SSO_PUBLIC_URL, OIDC_ALLOW_HTTP: 'true' });
    const platform = await loginAdmin(t.http);
    const tenants = { A: await createTenant(t.http, platform), B: await createTenant(t.http, platform) };
    const tokens = { platform } as Record<Actor, string>;
    const userIds = {} as World['userIds'];
    const kbs = {} as World['kbs'];
    for (const key of ['A', 'B'] as const) {
      const tenant = tenants[key];
      const admin = await addMember(t.http, platform, tenant, { role: 'admin' });
      const kb1 = await createKnowledgeBase(t.http, admin.token, tenant, {
        slug: uniqueSlug(`${key.toLowerCase()}1`),
      });
      const kb2 = await createKnowledgeBase(t.http, admin.token, tenant, {
        slug: uniqueSlug(`${key.toLowerCase()}2`),
      });
      kbs[`${key}1`] = kb1;
      kbs[`${key}2`] = kb2;
      const editor = await addMember(t.http, admin.token, tenant, {
        role: 'editor',
        knowledge_base_ids: [kb1.id],
      });
      const viewer = await addMember(t.http, admin.token, tenant, {
        role: 'viewer',
        knowledge_base_ids: [kb1.slug],
      });
      for (const [role, member] of [
        ['admin', admin],
        ['editor', editor],
        ['viewer', viewer],
      ] as const) {
        tokens[`${key}.${role}`] = member.token;
        userIds[`${key}.${role}`] = member.userId;
      }
    }
    await addIdentityProvider(
      t.http,
      platform,
      oidcProviderBody(idp, 'corp', [
        {
          claim_value: 'b-viewers',
          tenant_id: tenants.B.id,
          role: 'viewer',
          knowledge_base_ids: [kbs.B1.id],
        },
      ]),
    );
    await idp.setAccount('b-sso', { email: `${uniqueSlug('sso')}@example.test`, groups: ['b-viewers'] });
    tokens['B.sso'] = (await ssoBrowser(t.http, idp).tokens('b-sso')).access_token;
    const invitation = await t.http
      .post(`/api/v1/tenants/${tenants.A.id}/invitations`)
      .set(bearer(tokens['A.admin']))
      .send({ email: `${uniqueSlug('pending')}@example.test`, role: 'viewer' })
      .expect(201);
    const graph = `/api/v1/tenants/${tenants.A.id}/knowledge-bases/${kbs.A1.id}/graph`;
    for (const name of ['Matrix Entity', 'Matrix One', 'Matrix Two', 'Matrix Three', 'Matrix Four'])
      await t.http.post(`${graph}/entities`).set(bearer(tokens['A.admin'])).send({ name }).expect(201);
    const relation = await t.http
      .post(`${graph}/relations`)
      .set(bearer(tokens['A.admin']))
      .send({ source: 'Matrix Three', target: 'Matrix Four' })
      .expect(201);
    const conversationOf = async (actor: 'A.viewer' | 'A.editor') =>
      (
        await t.http
          .post(`/api/v1/tenants/${tenants.A.id}/conversations`)
          .set(bearer(tokens[actor]))
          .send({ knowledge_base_ids: [kbs.A1.id] })
          .expect(201)
      ).body.id as string;
    const conversationIds = {
      viewer: await conversationOf('A.viewer'),
      editor: await conversationOf('A.editor'),
    };
    const conversationPath = `/api/v1/tenants/${tenants.A.id}/conversations/${conversationIds.viewer}`;
    const turnId = (
      await t.http
        .post(`${conversationPath}/messages`)
        .set(bearer(tokens['A.viewer']))
        .send({ query: 'hello there' })
        .expect(200)
    ).body.turn_id as string;
    await t.http
      .put(`${conversationPath}/turns/${turnId}/feedback`)
      .set(bearer(tokens['A.viewer']))
      .send({ rating: 'up' })
      .expect(200);
    const groupOf = async (name: string) =>
      (
        await t.http
          .post(`/api/v1/tenants/${tenants.A.id}/groups`)
          .set(bearer(tokens['A.admin']))
          .send({ name: uniqueSlug(name) })
          .expect(201)
      ).body.id as string;
    const groupIds = { kept: await groupOf('matrix kept'), doomed: await groupOf('matrix doomed') };
    await t.http
      .put(`/api/v1/tenants/${tenants.A.id}/groups/${groupIds.kept}/users/${userIds['A.viewer']}`)
      .set(bearer(tokens['A.admin']))
      .expect(204);
    Object.assign(w, {
      groupIds,
      conversationIds,
      turnId,
      tenants,
      kbs,
      tokens,
      userIds,
      invitationId: invitation.body.id,
      relationId: relation.body.id,
    });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await idp?.stop();
  });

  const rows = CASES.flatMap((c) =>
    ACTORS.filter((actor) => c.expected[actor] !== 0).map((actor) => [c.name, actor, c] as const),
  );

  it.each(rows)('%s as %s', async (_name, actor, c) => {
    const req = t.http[c.method](c.path(w)).set(bearer(w.tokens[actor]));
    const res = await (c.body ? req.send(c.body(w)) : req);
    expect({ status: res.status, body: res.body }).toMatchObject({ status: c.expected[actor] });
    if (res.status >= 400) {
      const errorBody = {
        statusCode: res.status,
        error: expect.any(String),
        message: expect.any(String),
        code: expect.any(String),
        requestId: expect.any(String),
      };
      // The OpenAI-compatible routes answer errors in OpenAI's shape, with the same code.
      const openAiErrorBody = {
        error: {
          message: expect.any(String),
          type: expect.any(String),
          param: null,
          code: expect.any(String),
          request_id: expect.any(String),
        },
      };
      const ollamaErrorBody = {
        error: expect.any(String),
        code: expect.any(String),
        request_id: expect.any(String),
      };
      const lightRagErrorBody = {
        detail: expect.any(String),
        code: expect.any(String),
        request_id: expect.any(String),
      };
      const path = c.path(w);
      expect(res.body).toEqual(
        path.includes('/openai/')
          ? openAiErrorBody
          : path.includes('/ollama/')
            ? ollamaErrorBody
            : path.includes('/lightrag/')
              ? lightRagErrorBody
              : errorBody,
      );
    }
    // Exactly one audit event per mutation or refusal, in the same request; successful reads leave none.
    const events: Array<{ outcome: string; action: string }> = await t.app
      .get(DataSource)
      .query('SELECT outcome, action FROM audit_events WHERE request_id = $1', [res.headers['x-request-id']]);
    if (res.status >= 400)
      expect(events).toEqual([
        {
          outcome: 'denied',
          action: expect.stringMatching(
            /^(tenant|member|group|invitation|knowledge_base|query|graph|document|conversation|feedback)(\.\w+)+$/,
          ),
        },
      ]);
    else if ((c.method === 'get' && !c.auditedRead) || c.readOnly) expect(events).toEqual([]);
    else expect(events).toEqual([{ outcome: 'success', action: expect.any(String) }]);
    // Nothing of the other tenant in any body: B's data to A's side, A's data to B's actors.
    const text = JSON.stringify(res.body);
    for (const secret of actor.startsWith('B.') ? identifiersOf('A') : identifiersOf('B')) {
      expect(text).not.toContain(secret);
    }
  });

  it('lists only the caller’s tenants to members, all to the platform admin', async () => {
    const asMember = await t.http.get('/api/v1/tenants').set(bearer(w.tokens['A.viewer']));
    expect(asMember.status).toBe(200);
    expect(asMember.body.items.map((x: Tenant) => x.id)).toEqual([w.tenants.A.id]);
    const asPlatform = await t.http.get('/api/v1/tenants').set(bearer(w.tokens.platform));
    expect(asPlatform.body.items.map((x: Tenant) => x.id)).toEqual(
      expect.arrayContaining([w.tenants.A.id, w.tenants.B.id]),
    );
  });

  it('gives a viewer by an identity provider’s rule what the rule says in B, and nothing of A', async () => {
    const as = (path: string) => t.http.get(path).set(bearer(w.tokens['B.sso']));
    const B = `/api/v1/tenants/${w.tenants.B.id}`;
    expect((await as(`${B}/knowledge-bases/${w.kbs.B1.id}`)).status).toBe(200);
    expect((await as(`${B}/knowledge-bases/${w.kbs.B2.id}`)).status).toBe(404);
    expect((await as(`${B}/members`)).status).toBe(403);
    expect((await as(`${A(w)}/knowledge-bases/${w.kbs.A1.id}`)).status).toBe(404);
    const tenants = await as('/api/v1/tenants');
    expect(tenants.body.items.map((x: Tenant) => x.id)).toEqual([w.tenants.B.id]);
  });

  it('lists to an editor and a viewer only the KBs assigned to them', async () => {
    for (const actor of ['A.editor', 'A.viewer'] as const) {
      const res = await t.http.get(`${A(w)}/knowledge-bases`).set(bearer(w.tokens[actor]));
      expect(res.body.items.map((kb: KnowledgeBase) => kb.id)).toEqual([w.kbs.A1.id]);
    }
    const asAdmin = await t.http.get(`${A(w)}/knowledge-bases?limit=200`).set(bearer(w.tokens['A.admin']));
    expect(asAdmin.body.items.map((kb: KnowledgeBase) => kb.id)).toEqual(
      expect.arrayContaining([w.kbs.A1.id, w.kbs.A2.id]),
    );
  });

  it('refuses tenant creation to everyone but the platform admin', async () => {
    for (const actor of ACTORS) {
      const res = await t.http
        .post('/api/v1/tenants')
        .set(bearer(w.tokens[actor]))
        .send({ slug: uniqueSlug('made'), name: 'Made' });
      expect(res.status).toBe(actor === 'platform' ? 201 : 403);
    }
  });

  it('lets the owners delete what they own: tenant admin a member and a KB, platform admin a tenant', async () => {
    const extra = await addMember(t.http, w.tokens['A.admin'], w.tenants.A, { role: 'viewer' });
    await t.http
      .delete(`${A(w)}/members/${extra.userId}`)
      .set(bearer(w.tokens['A.admin']))
      .expect(204);
    await t.http
      .get(`${A(w)}/members/${extra.userId}`)
      .set(bearer(w.tokens['A.admin']))
      .expect(404);

    const kb = await createKnowledgeBase(t.http, w.tokens['A.admin'], w.tenants.A);
    await t.http
      .delete(`${A(w)}/knowledge-bases/${kb.id}`)
      .set(bearer(w.tokens['A.admin']))
      .expect(204);
    await t.http
      .get(`${A(w)}/knowledge-bases/${kb.id}`)
      .set(bearer(w.tokens['A.admin']))
      .expect(404);

    const doomed = await createTenant(t.http, w.tokens.platform);
    await t.http.delete(`/api/v1/tenants/${doomed.id}`).set(bearer(w.tokens.platform)).expect(204);
    await t.http.get(`/api/v1/tenants/${doomed.id}`).set(bearer(w.tokens.platform)).expect(404);
  });
});
