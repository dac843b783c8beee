import { BENCH_ADMIN, type BenchTenant } from '../bench-tenant';
import { Client } from '../server';

/** Every RESTRICTED_EVERY-th document of the KB gets an access list in the access-list rows. */
export const RESTRICTED_EVERY = 10;

/** The three situations a member asks in, each measured against the first in the same run. */
export const ACCESS_SITUATIONS = [
  { key: 'open', label: 'as a viewer, no access lists' },
  { key: 'theirs', label: `as a viewer, 1 in ${RESTRICTED_EVERY} documents restricted to a group of theirs` },
  { key: 'hidden', label: `as a viewer, 1 in ${RESTRICTED_EVERY} documents hidden from them` },
] as const;
export type AccessSituation = (typeof ACCESS_SITUATIONS)[number]['key'];

/**
 * A viewer of the tenant and two groups, one with the viewer in it, to put a share of a KB's
 * documents under access lists: restricted to the viewer's group (nothing hidden, but every
 * request works out what is), then to the other group (hidden from the viewer), then open again.
 */
export async function accessListFixture(base: string, tenant: BenchTenant, label: string) {
  const platform = await Client.signedIn(base, BENCH_ADMIN);
  const viewer = { email: `${label}-viewer-${tenant.member.email}`, password: 'bench-viewer-password' };
  await platform.call('POST', `/api/v1/tenants/${tenant.tenantId}/members`, { ...viewer, role: 'viewer' });
  const client = await Client.signedIn(base, { ...viewer, tenant_id: tenant.tenantId });
  const me = await client.call<{ user: { id: string } }>('GET', '/api/v1/auth/me');
  const groups = `/api/v1/tenants/${tenant.tenantId}/groups`;
  const group = async (name: string) =>
    (await tenant.admin.call<{ id: string }>('POST', groups, { name })).id;
  const theirs = await group(`${label} readers`);
  const others = await group(`${label} others`);
  await tenant.admin.call('PUT', `${groups}/${theirs}/users/${me.user.id}`, undefined, [204]);
  return {
    viewer: client,
    /** Puts the chosen documents under the situation's access list (none for `open`). */
    async restrict(
      kbPath: string,
      documentIds: readonly string[],
      situation: AccessSituation,
    ): Promise<void> {
      const access = situation === 'open' ? null : { group_ids: [situation === 'theirs' ? theirs : others] };
      for (const id of documentIds) {
        await tenant.admin.call('PATCH', `${kbPath}/documents/${id}`, { access });
      }
    },
  };
}
