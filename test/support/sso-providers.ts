import type TestAgent from 'supertest/lib/agent';
import { bearer } from '../factories';
import type { TestDirectory } from './ldap/directory-server';
import type { TestIdentityProvider } from './oidc/identity-provider';

export type RuleSpec = {
  claim_value: string;
  tenant_id: string;
  role: 'admin' | 'editor' | 'viewer';
  knowledge_base_ids?: string[] | null;
  permissions?: Record<string, boolean>;
};

/** The body that adds the test OpenID provider as `slug`, with these rules. */
export const oidcProviderBody = (
  idp: TestIdentityProvider,
  slug: string,
  mappings: RuleSpec[],
  extra: Record<string, unknown> = {},
) => ({
  slug,
  display_name: 'Corporate SSO',
  issuer: idp.issuer,
  client_id: idp.clientId,
  client_secret: idp.clientSecret,
  scopes: ['openid', 'email', 'groups'],
  mappings,
  ...extra,
});

/** The body that adds a test directory as the LDAP provider `slug`, with these rules. */
export const ldapProviderBody = (directory: TestDirectory, slug: string, mappings: RuleSpec[]) => ({
  slug,
  kind: 'ldap',
  display_name: 'Company directory',
  ldap: {
    url: directory.url,
    bind_dn: directory.adminDn,
    bind_password: directory.adminPassword,
    user_base: directory.peopleBase,
    group_base: directory.groupsBase,
  },
  mappings,
});

/** Adds an identity provider as the platform admin; answers it (fails the suite otherwise). */
export async function addIdentityProvider(http: TestAgent, platformToken: string, body: object) {
  const res = await http.post('/api/v1/identity-providers').set(bearer(platformToken)).send(body);
  if (res.status !== 201)
    throw new Error(`adding an identity provider: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; slug: string } & Record<string, unknown>;
}
