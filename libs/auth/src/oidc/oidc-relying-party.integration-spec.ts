import {
  startIdentityProvider,
  type TestIdentityProvider,
} from '../../../../test/support/oidc/identity-provider';
import { type OidcClientSettings, OidcLoginFailed, OidcRelyingParty } from './oidc-relying-party';

// Nothing listens there: the provider sends the browser to it, and the test takes the URL.
const REDIRECT_URI = 'http://127.0.0.1:9/api/v1/auth/oidc/test/callback';

/**
 * The relying party against a real OpenID Provider (oidc-provider, in a child process): the whole
 * browser-less authorization code flow with PKCE, and every way a callback must be refused.
 */
describe('OIDC relying party against a real OpenID Provider', () => {
  let idp: TestIdentityProvider;
  let settings: OidcClientSettings;
  const party = new OidcRelyingParty({ allowHttp: true });

  beforeAll(async () => {
    idp = await startIdentityProvider([REDIRECT_URI]);
    settings = {
      issuer: idp.issuer,
      clientId: idp.clientId,
      clientSecret: idp.clientSecret,
      scopes: ['openid', 'email', 'groups'],
      redirectUri: REDIRECT_URI,
    };
    await idp.setAccount('ada', { email: 'ada@example.test', groups: ['acme-editors', 'all-staff'] });
  });
  afterAll(() => idp?.stop());
  afterEach(() => idp.tamper(null));

  async function signIn(sub = 'ada') {
    const { url, checks } = await party.begin(settings, { loginHint: sub });
    return { url, checks, callback: await idp.signIn(url, REDIRECT_URI) };
  }

  it('signs in through discovery, PKCE, state and nonce, and answers the verified claims', async () => {
    const { url, checks, callback } = await signIn();
    expect(url.origin).toBe(idp.issuer);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.get('state')).toBe(checks.state);
    expect(url.searchParams.get('nonce')).toBe(checks.nonce);
    expect(callback.searchParams.get('state')).toBe(checks.state);

    const claims = await party.complete(settings, callback, checks);
    expect(claims).toMatchObject({
      iss: idp.issuer,
      aud: idp.clientId,
      sub: 'ada',
      email: 'ada@example.test',
      groups: ['acme-editors', 'all-staff'],
      nonce: checks.nonce,
    });
  });

  it('sees the groups the provider says at each sign-in', async () => {
    await idp.setAccount('grace', { email: 'grace@example.test', groups: ['acme-viewers'] });
    const first = await signIn('grace');
    expect((await party.complete(settings, first.callback, first.checks)).groups).toEqual(['acme-viewers']);
    await idp.setAccount('grace', { email: 'grace@example.test', groups: [] });
    const second = await signIn('grace');
    expect((await party.complete(settings, second.callback, second.checks)).groups).toEqual([]);
  });

  it('refuses a callback whose state is not the one sent', async () => {
    const { checks, callback } = await signIn();
    const forged = new URL(callback);
    forged.searchParams.set('state', 'a-state-from-someone-else');
    await expect(party.complete(settings, forged, checks)).rejects.toMatchObject({ failure: 'callback' });
  });

  it('refuses a code redeemed without its PKCE verifier, or twice', async () => {
    const { checks, callback } = await signIn();
    await expect(
      party.complete(settings, callback, { ...checks, codeVerifier: 'x'.repeat(43) }),
    ).rejects.toBeInstanceOf(OidcLoginFailed);
    // oidc-provider revokes a code once a redemption of it failed; a fresh one redeems once only.
    const again = await signIn();
    await party.complete(settings, again.callback, again.checks);
    await expect(party.complete(settings, again.callback, again.checks)).rejects.toMatchObject({
      failure: 'callback',
    });
  });

  it.each([
    ['audience', 'issued to another client'],
    ['expired', 'that has expired'],
    ['signature', 'signed with a key the provider does not publish'],
    ['nonce', 'answering another nonce'],
  ] as const)('refuses an ID token (%s) %s', async (mode, _what) => {
    const { checks, callback } = await signIn();
    await idp.tamper(mode);
    await expect(party.complete(settings, callback, checks)).rejects.toMatchObject({ failure: 'callback' });
  });

  it('refuses a provider that cannot be reached, and an http issuer unless allowed', async () => {
    const unreachable = { ...settings, issuer: 'http://127.0.0.1:9/unreachable' };
    await expect(party.begin(unreachable)).rejects.toMatchObject({ failure: 'provider' });
    const strict = new OidcRelyingParty({ allowHttp: false });
    await expect(strict.begin(settings)).rejects.toMatchObject({
      failure: 'provider',
      message: expect.stringContaining('not https'),
    });
  });
});
