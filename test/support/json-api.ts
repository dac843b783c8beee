/**
 * A JSON caller for the API of a process a test started: `base()` is read on every call, since a
 * restarted process listens on a new port. An answer of 300 or more throws with its body.
 */
export function jsonApi(base: () => string) {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers of several shapes
  return async (method: string, path: string, token?: string, body?: unknown): Promise<any> => {
    const res = await fetch(`${base()}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    const json = await res.json().catch(() => null);
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
}

/**
 * As the platform admin `platformAdmin`, creates tenant `slug` with a tenant admin, and answers
 * the tenant's id and that admin's access token (for suites that drive a process over HTTP).
 */
export async function tenantWithAdmin(
  call: ReturnType<typeof jsonApi>,
  platformAdmin: { email: string; password: string },
  slug: string,
): Promise<{ tenantId: string; token: string }> {
  const platform = (await call('POST', '/auth/login', undefined, platformAdmin)).access_token;
  const tenant = await call('POST', '/tenants', platform, { slug, name: slug });
  const member = { email: `admin@${slug}.test`, password: `${slug}-admin-password` };
  await call('POST', `/tenants/${tenant.id}/members`, platform, { ...member, role: 'admin' });
  const token = (await call('POST', '/auth/login', undefined, { ...member, tenant_id: tenant.id }))
    .access_token;
  return { tenantId: tenant.id, token };
}
