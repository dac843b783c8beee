/// <reference lib="dom" />
import { ApiError } from './api-error';
import { ApiClient } from './client';

/** The tab's sessionStorage, as the browser gives it. */
class MemoryStorage {
  private readonly values = new Map<string, string>();
  getItem = (key: string) => this.values.get(key) ?? null;
  setItem = (key: string, value: string) => void this.values.set(key, value);
  removeItem = (key: string) => void this.values.delete(key);
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const tokens = (n: number) => ({
  access_token: `access-${n}`,
  refresh_token: `refresh-${n}`,
  expires_in: 900,
});

describe('ApiClient', () => {
  let calls: Array<{ url: string; authorization: string | null; body: unknown }>;
  let answers: Array<(url: string) => Response>;

  beforeEach(() => {
    (globalThis as { sessionStorage?: unknown }).sessionStorage = new MemoryStorage();
    calls = [];
    answers = [];
    jest.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
      const headers = (init?.headers ?? {}) as Record<string, string>;
      calls.push({
        url: String(input),
        authorization: headers.authorization ?? null,
        body: init?.body ? JSON.parse(String(init.body)) : null,
      });
      return answers.shift()!(String(input));
    });
  });
  afterEach(() => jest.restoreAllMocks());

  it('sends the access token, refreshes once on a 401 and retries with the new one', async () => {
    const client = new ApiClient();
    answers.push(() => json(200, tokens(1)));
    await client.login('a@b.co', 'secret-password');
    answers.push(
      () => json(401, { code: 'UNAUTHENTICATED', message: 'expired' }),
      () => json(200, tokens(2)),
      () => json(200, { ok: true }),
    );
    await expect(client.get('/auth/me')).resolves.toEqual({ ok: true });
    expect(calls.map((c) => [c.url, c.authorization])).toEqual([
      ['/api/v1/auth/login', null],
      ['/api/v1/auth/me', 'Bearer access-1'],
      ['/api/v1/auth/refresh', null],
      ['/api/v1/auth/me', 'Bearer access-2'],
    ]);
    expect(calls[2].body).toEqual({ refresh_token: 'refresh-1' });
  });

  it('signs out when the refresh token is refused, and reports the API error', async () => {
    const client = new ApiClient();
    const changes: boolean[] = [];
    client.onSessionChange((signedIn) => changes.push(signedIn));
    answers.push(() => json(200, tokens(1)));
    await client.login('a@b.co', 'secret-password');
    answers.push(
      () => json(401, { code: 'UNAUTHENTICATED', message: 'expired' }),
      () => json(401, { code: 'INVALID_REFRESH_TOKEN', message: 'no' }),
    );
    const error = await client.get('/tenants').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    expect(client.hasSession).toBe(false);
    expect(changes).toEqual([true, false]);
  });

  it('resumes a session from the stored refresh token after a reload', async () => {
    sessionStorage.setItem('strata.refresh_token', 'refresh-7');
    const client = new ApiClient();
    expect(client.hasSession).toBe(true);
    answers.push(
      () => json(200, tokens(8)),
      () => json(200, { items: [] }),
    );
    await client.get('/tenants');
    expect(calls.map((c) => c.url)).toEqual(['/api/v1/auth/refresh', '/api/v1/tenants']);
    expect(calls[1].authorization).toBe('Bearer access-8');
  });
});
