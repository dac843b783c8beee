import type TestAgent from 'supertest/lib/agent';
import type { TestIdentityProvider } from './identity-provider';

/** Where the suites say the browser reaches Strata; the provider sends it back to this origin. */
export const SSO_PUBLIC_URL = 'http://strata.test';

export const ssoCallbackPrefix = (slug: string, publicUrl = SSO_PUBLIC_URL) =>
  `${publicUrl}/api/v1/auth/oidc/${slug}/callback`;

/**
 * A browser's single sign-on against the API, step by step: start it (the redirect to the
 * provider and the login state cookie), sign in at the provider, come back to the callback.
 */
export function ssoBrowser(http: TestAgent, idp: TestIdentityProvider, publicUrl = SSO_PUBLIC_URL) {
  async function start(sub: string, slug = 'corp', tenant?: string) {
    const query = new URLSearchParams({ login_hint: sub, ...(tenant ? { tenant } : {}) });
    const res = await http.get(`/api/v1/auth/oidc/${slug}/login?${query}`);
    if (res.status !== 302) throw new Error(`SSO login answered ${res.status}: ${JSON.stringify(res.body)}`);
    const cookie = (res.headers['set-cookie'] as unknown as string[])[0].split(';')[0];
    return { authorizationUrl: new URL(res.headers.location), cookie };
  }

  /** The callback as the browser makes it; answers the fragment of the console URL it is sent to. */
  async function callback(callbackUrl: URL, cookie: string | null) {
    const request = http.get(`${callbackUrl.pathname}${callbackUrl.search}`);
    const res = await (cookie ? request.set('Cookie', cookie) : request);
    const location = new URL(res.headers.location);
    if (res.status !== 302 || `${location.origin}${location.pathname}` !== `${publicUrl}/console/login`) {
      throw new Error(`SSO callback answered ${res.status} to ${res.headers.location}`);
    }
    return new URLSearchParams(location.hash.slice(1));
  }

  /** A whole sign-in; answers the console fragment (sso=<code> or sso_error=<CODE>). */
  async function signIn(sub: string, slug = 'corp', tenant?: string) {
    const { authorizationUrl, cookie } = await start(sub, slug, tenant);
    return callback(await idp.signIn(authorizationUrl, ssoCallbackPrefix(slug, publicUrl)), cookie);
  }

  /** A whole sign-in that must succeed, its code traded for the session's tokens. */
  async function tokens(sub: string, slug = 'corp', tenant?: string) {
    const fragment = await signIn(sub, slug, tenant);
    if (fragment.get('sso') === null) throw new Error(`SSO sign-in refused: ${fragment.get('sso_error')}`);
    const exchanged = await http.post('/api/v1/auth/oidc/exchange').send({ code: fragment.get('sso') });
    if (exchanged.status !== 200) throw new Error(`SSO exchange answered ${exchanged.status}`);
    return exchanged.body as { access_token: string; refresh_token: string };
  }

  return { start, callback, signIn, tokens };
}
