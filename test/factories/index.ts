import type TestAgent from 'supertest/lib/agent';
import { randomBytes } from 'node:crypto';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from '../support/test-app';

/** Builders for e2e suites: each makes one thing through the public API in one line. */

export const uniqueSlug = (prefix: string): string => `${prefix}-${randomBytes(4).toString('hex')}`;
export const MEMBER_PASSWORD = 'member-password-123';

export interface Tenant {
  id: string;
  slug: string;
  name: string;
}

export interface KnowledgeBase {
  id: string;
  slug: string;
  name: string;
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

export async function login(
  http: TestAgent,
  email: string,
  password: string,
  tenantId?: string,
): Promise<string> {
  const res = await http
    .post('/api/v1/auth/login')
    .send({ email, password, ...(tenantId ? { tenant_id: tenantId } : {}) });
  if (res.status !== 200) throw new Error(`login ${email} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.access_token as string;
}

export const loginAdmin = (http: TestAgent): Promise<string> => login(http, ADMIN_EMAIL, ADMIN_PASSWORD);

export async function createTenant(
  http: TestAgent,
  adminToken: string,
  name = uniqueSlug('tenant'),
): Promise<Tenant> {
  const res = await http
    .post('/api/v1/tenants')
    .set(bearer(adminToken))
    .send({ slug: name, name: `Tenant ${name}` });
  if (res.status !== 201) throw new Error(`create tenant failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as Tenant;
}

export interface MemberSpec {
  role: 'admin' | 'editor' | 'viewer';
  knowledge_base_ids?: string[] | null;
  permissions?: Record<string, boolean>;
}

/**
 * Adds a member and returns their email and a token for the tenant: the caller invites the email
 * and the invitee accepts with MEMBER_PASSWORD (creating the account when it is new, else proving
 * it), as a tenant admin and their new member would.
 */
export async function addMember(
  http: TestAgent,
  token: string,
  tenant: Tenant,
  spec: MemberSpec,
  email = `${uniqueSlug(spec.role)}@example.test`,
): Promise<{ email: string; userId: string; token: string }> {
  const invited = await http
    .post(`/api/v1/tenants/${tenant.id}/invitations`)
    .set(bearer(token))
    .send({ email, ...spec });
  if (invited.status !== 201) {
    throw new Error(`invite member failed: ${invited.status} ${JSON.stringify(invited.body)}`);
  }
  const accepted = await http
    .post('/api/v1/invitations/accept')
    .send({ token: invited.body.token, password: MEMBER_PASSWORD });
  if (accepted.status !== 200) {
    throw new Error(`accept invitation failed: ${accepted.status} ${JSON.stringify(accepted.body)}`);
  }
  return {
    email,
    userId: accepted.body.user_id as string,
    token: await login(http, email, MEMBER_PASSWORD, tenant.id),
  };
}

export async function createKnowledgeBase(
  http: TestAgent,
  token: string,
  tenant: Tenant,
  options: { slug?: string; config?: Record<string, unknown> } = {},
): Promise<KnowledgeBase> {
  const slug = options.slug ?? uniqueSlug('kb');
  const res = await http
    .post(`/api/v1/tenants/${tenant.id}/knowledge-bases`)
    .set(bearer(token))
    .send({ name: `KB ${slug}`, slug, ...(options.config ? { config: options.config } : {}) });
  if (res.status !== 201) throw new Error(`create KB failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as KnowledgeBase;
}

export const documentsPath = (tenant: Tenant, kb: KnowledgeBase) =>
  `/api/v1/tenants/${tenant.id}/knowledge-bases/${kb.id}/documents`;

/** Adds one text document and returns its id (as accepted, usually still pending). */
export async function addTextDocument(
  http: TestAgent,
  token: string,
  tenant: Tenant,
  kb: KnowledgeBase,
  text: string,
  extra: Record<string, unknown> = {},
): Promise<string> {
  const res = await http
    .post(documentsPath(tenant, kb))
    .set(bearer(token))
    .send({ text, ...extra });
  if (res.status !== 202) throw new Error(`add document failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.documents[0].id as string;
}

/**
 * Whether a document has settled: failed, or processed with its graph stage over (done, failed
 * or skipped). A processed document is searchable before its graph is built.
 */
export const documentSettled = (status: number, body: Record<string, unknown>): boolean =>
  status === 200 &&
  (body.status === 'failed' ||
    (body.status === 'processed' && ['done', 'failed', 'skipped'].includes(body.graph_status as string)));

/** Polls a document until it has settled (see documentSettled), or until `options.until` holds. */
export async function waitForDocument(
  http: TestAgent,
  token: string,
  tenant: Tenant,
  kb: KnowledgeBase,
  documentId: string,
  options: { timeoutMs?: number; until?: (status: number, body: Record<string, unknown>) => boolean } = {},
): Promise<Record<string, unknown>> {
  const until = options.until ?? documentSettled;
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  for (;;) {
    const res = await http.get(`${documentsPath(tenant, kb)}/${documentId}`).set(bearer(token));
    if (until(res.status, res.body)) return res.body;
    if (Date.now() > deadline) {
      throw new Error(
        `document ${documentId} still ${res.status} ${JSON.stringify(res.body)} after the timeout`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
