import type * as OpenIdClient from 'openid-client';

// openid-client is an ES module only. Node (20.19 and later) loads it through require: Node's own
// require, reached past the bundler's and the test runner's (which refuses ES modules), so that it
// loads the same from the build, the sources and the suites.
const nodeModule = process.getBuiltinModule('node:module') as typeof import('node:module');
const oidc = nodeModule.createRequire(__filename)('openid-client') as typeof OpenIdClient;

/** One OpenID provider as Strata's client of it. */
export interface OidcClientSettings {
  /** The issuer identifier; its discovery document is at `<issuer>/.well-known/openid-configuration`. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  scopes: readonly string[];
  /** Where the provider sends the browser back with the code: Strata's callback route. */
  redirectUri: string;
}

/** What a login's callback is checked against; the caller keeps it between redirect and callback. */
export interface OidcLoginChecks {
  state: string;
  nonce: string;
  codeVerifier: string;
}

/** The verified ID token's claims (signature, issuer, audience, expiry and nonce checked). */
export type OidcClaims = OpenIdClient.IDToken;

/** Why a login failed: the provider could not be reached or described itself badly, or the callback or its tokens did not check out. */
export type OidcFailure = 'provider' | 'callback';

export class OidcLoginFailed extends Error {
  constructor(
    readonly failure: OidcFailure,
    message: string,
  ) {
    super(message);
    this.name = 'OidcLoginFailed';
  }
}

/**
 * Strata as an OpenID Connect relying party, authorization code flow with PKCE (openid-client):
 * `begin` makes the authorization URL and the checks its callback must pass (state, nonce, PKCE
 * verifier); `complete` redeems the callback's code and verifies the ID token (signature,
 * issuer, audience, expiry, nonce). Providers'
 * discovery documents and keys are fetched when first needed and kept; a provider that could not
 * be reached is asked again next time. Issuers must be https unless `allowHttp` (tests, and
 * providers on a trusted local network by the operator's choice).
 */
export class OidcRelyingParty {
  private readonly configurations = new Map<string, Promise<OpenIdClient.Configuration>>();

  constructor(private readonly options: { allowHttp: boolean }) {}

  async begin(
    settings: OidcClientSettings,
    hints: { loginHint?: string } = {},
  ): Promise<{ url: URL; checks: OidcLoginChecks }> {
    const config = await this.configuration(settings);
    const checks: OidcLoginChecks = {
      state: oidc.randomState(),
      nonce: oidc.randomNonce(),
      codeVerifier: oidc.randomPKCECodeVerifier(),
    };
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: settings.redirectUri,
      scope: settings.scopes.join(' '),
      code_challenge: await oidc.calculatePKCECodeChallenge(checks.codeVerifier),
      code_challenge_method: 'S256',
      state: checks.state,
      nonce: checks.nonce,
      ...(hints.loginHint ? { login_hint: hints.loginHint } : {}),
    });
    return { url, checks };
  }

  /** Redeems the code of `callbackUrl` (the redirect URI with the provider's query) and verifies the ID token. */
  async complete(
    settings: OidcClientSettings,
    callbackUrl: URL,
    checks: OidcLoginChecks,
  ): Promise<OidcClaims> {
    const config = await this.configuration(settings);
    let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
    try {
      tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: checks.codeVerifier,
        expectedState: checks.state,
        expectedNonce: checks.nonce,
        idTokenExpected: true,
      });
    } catch (error) {
      throw new OidcLoginFailed('callback', `the sign-in did not check out: ${describe(error)}`);
    }
    const claims = tokens.claims();
    if (claims === undefined) throw new OidcLoginFailed('callback', 'the provider sent no ID token');
    return claims;
  }

  private configuration(settings: OidcClientSettings): Promise<OpenIdClient.Configuration> {
    const key = `${settings.issuer}\n${settings.clientId}`;
    let configuration = this.configurations.get(key);
    if (configuration === undefined) {
      configuration = this.discover(settings);
      this.configurations.set(key, configuration);
      configuration.catch(() => this.configurations.delete(key));
    }
    return configuration;
  }

  private async discover(settings: OidcClientSettings): Promise<OpenIdClient.Configuration> {
    let issuer: URL;
    try {
      issuer = new URL(settings.issuer);
    } catch {
      throw new OidcLoginFailed('provider', `the issuer ${settings.issuer} is not a URL`);
    }
    if (issuer.protocol !== 'https:' && !this.options.allowHttp) {
      throw new OidcLoginFailed('provider', `the issuer ${settings.issuer} is not https`);
    }
    try {
      return await oidc.discovery(
        issuer,
        settings.clientId,
        undefined,
        oidc.ClientSecretBasic(settings.clientSecret),
        {
          execute: [
            // The ID token's signature is checked against the provider's published keys, though
            // it came straight from the token endpoint (where OpenID Connect lets TLS vouch for it).
            oidc.enableNonRepudiationChecks,
            ...(issuer.protocol === 'http:' ? [oidc.allowInsecureRequests] : []),
          ],
        },
      );
    } catch (error) {
      throw new OidcLoginFailed(
        'provider',
        `the provider at ${settings.issuer} could not be used: ${describe(error)}`,
      );
    }
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return `${error.message}${cause}`;
}
