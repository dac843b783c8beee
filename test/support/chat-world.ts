import type { AddressInfo } from 'node:net';
import {
  addMember,
  addTextDocument,
  bearer,
  createKnowledgeBase,
  createTenant,
  KnowledgeBase,
  loginAdmin,
  Tenant,
  uniqueSlug,
  waitForDocument,
} from '../factories';
import { POLICY_DOCUMENTS } from '../fixtures/policies';
import { OpenAiCompatibleServer } from './openai-compatible-server';
import type { TestApp } from './test-app';

/** What the chat API suites ask in: a tenant with a KB of the policy documents, and another tenant. */
export interface ChatWorld {
  /** Where the app listens, for clients that need a real URL. */
  base: string;
  platform: string;
  tenant: Tenant;
  admin: string;
  /** A KB holding POLICY_DOCUMENTS, processed. */
  handbook: KnowledgeBase;
  /** The handbook's document ids by POLICY_DOCUMENTS name. */
  ids: Record<string, string>;
  /** A viewer API key of the tenant. */
  key: string;
  other: { tenant: Tenant; admin: string; kb: KnowledgeBase };
}

/** Makes `t` listen on a loopback port and builds the world in it. */
export async function chatWorld(t: TestApp): Promise<ChatWorld> {
  await t.app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
  const platform = await loginAdmin(t.http);
  const tenant = await createTenant(t.http, platform);
  const admin = (await addMember(t.http, platform, tenant, { role: 'admin' })).token;
  const handbook = await createKnowledgeBase(t.http, admin, tenant, { slug: uniqueSlug('handbook') });
  const ids: Record<string, string> = {};
  for (const [name, text] of Object.entries(POLICY_DOCUMENTS)) {
    ids[name] = await addTextDocument(t.http, admin, tenant, handbook, text);
    await waitForDocument(t.http, admin, tenant, handbook, ids[name]);
  }
  const key = (
    await t.http
      .post(`/api/v1/tenants/${tenant.id}/api-keys`)
      .set(bearer(admin))
      .send({ name: 'chat front end', role: 'viewer' })
      .expect(201)
  ).body.key as string;
  const otherTenant = await createTenant(t.http, platform);
  const otherAdmin = (await addMember(t.http, platform, otherTenant, { role: 'admin' })).token;
  const otherKb = await createKnowledgeBase(t.http, otherAdmin, otherTenant, { slug: uniqueSlug('secrets') });
  return {
    base,
    platform,
    tenant,
    admin,
    handbook,
    ids,
    key,
    other: { tenant: otherTenant, admin: otherAdmin, kb: otherKb },
  };
}

/** Runs `work` with the scripted LLM server as the world tenant's LLM, then puts the defaults back. */
export async function withTenantLlm(
  t: TestApp,
  world: Pick<ChatWorld, 'tenant' | 'admin'>,
  work: (llm: OpenAiCompatibleServer) => Promise<void>,
): Promise<void> {
  const llm = await OpenAiCompatibleServer.start();
  const config = `/api/v1/tenants/${world.tenant.id}/config`;
  try {
    await t.http
      .patch(config)
      .set(bearer(world.admin))
      .send({ llm: { base_url: llm.url, model: 'test-chat', api_key: 'sk-tenant-llm' } })
      .expect(200);
    await work(llm);
  } finally {
    await t.http
      .patch(config)
      .set(bearer(world.admin))
      .send({ llm: { base_url: null, model: null, api_key: null } })
      .expect(200);
    await llm.stop();
  }
}
