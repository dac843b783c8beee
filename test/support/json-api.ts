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
