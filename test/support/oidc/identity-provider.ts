import { join } from 'node:path';
import { type RunningProcess, startProcess, stopProcess } from '../processes';

export type IdTokenTamper = 'audience' | 'expired' | 'signature' | 'nonce';

/** The test OpenID Provider (identity-provider.mjs) in its own process, and its controls. */
export interface TestIdentityProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Creates or replaces the account `sub` with these claims (email, groups…). */
  setAccount(sub: string, claims: Record<string, unknown>): Promise<void>;
  /** Alters the ID tokens issued from now on (null: issue them as they are). */
  tamper(mode: IdTokenTamper | null): Promise<void>;
  /**
   * Follows `authorizationUrl` as a browser would, signing in the account its `login_hint`
   * names, and answers the URL the provider finally sends the browser to (the callback).
   */
  signIn(authorizationUrl: URL, callbackPrefix: string): Promise<URL>;
  stop(): Promise<void>;
}

export async function startIdentityProvider(redirectUris: string[]): Promise<TestIdentityProvider> {
  const clientId = 'strata-test-client';
  const clientSecret = 'strata-test-client-secret-0123456789';
  const running: RunningProcess = await startProcess(
    join(__dirname, 'identity-provider.mjs'),
    { PORT: '0', CLIENT_ID: clientId, CLIENT_SECRET: clientSecret, REDIRECT_URIS: redirectUris.join(',') },
    'identity provider listening on',
  );
  const issuer = /identity provider listening on (\S+)/.exec(running.output())![1];
  const control = async (path: string, body: unknown) => {
    const res = await fetch(`${issuer}${path}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (res.status !== 204) throw new Error(`identity provider ${path}: ${res.status} ${await res.text()}`);
  };
  return {
    issuer,
    clientId,
    clientSecret,
    setAccount: (sub, claims) => control(`/test/accounts/${encodeURIComponent(sub)}`, claims),
    tamper: (mode) => control('/test/tamper', { mode }),
    signIn: (authorizationUrl, callbackPrefix) => followToCallback(authorizationUrl, callbackPrefix),
    stop: () => stopProcess(running),
  };
}

/** Follows redirects with a cookie jar until one leaves for `callbackPrefix`. */
async function followToCallback(start: URL, callbackPrefix: string): Promise<URL> {
  const cookies = new Map<string, string>();
  let url = start;
  for (let hop = 0; hop < 20; hop++) {
    if (url.href.startsWith(callbackPrefix)) return url;
    const res = await fetch(url, {
      redirect: 'manual',
      headers: { cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; ') },
    });
    for (const header of res.headers.getSetCookie()) {
      const [pair] = header.split(';');
      const at = pair.indexOf('=');
      cookies.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
    }
    const location = res.headers.get('location');
    if (res.status < 300 || res.status >= 400 || location === null) {
      throw new Error(
        `the sign-in stopped at ${url.href}: ${res.status} ${(await res.text()).slice(0, 300)}`,
      );
    }
    await res.arrayBuffer();
    url = new URL(location, url);
  }
  throw new Error('the sign-in redirected too many times');
}
