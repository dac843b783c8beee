import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AppConfig, DomainError, ErrorCode, randomToken, sha256Hex, Unauthenticated } from '@strata/core';
import { MembershipsRepository, type RequestInfo } from '@strata/tenancy';
import { oidcCallbackPath } from '../sso/dto/identity-provider.dto';
import type { IdentityProvider } from '../sso/identity-provider.entity';
import { IdentityProvidersService } from '../sso/identity-providers.service';
import { claimValues } from '../sso/membership-rules';
import { SsoAccountsService, ssoRejected } from '../sso/sso-accounts.service';
import { SSO_HANDOFF_TTL_SECONDS, SsoHandoff } from '../sso/sso-handoff.entity';
import { type TokenPair, TokenService } from '../tokens/token.service';
import { UsersService } from '../users/users.service';
import { LOGIN_STATE_TTL_SECONDS, openLoginState, sealLoginState } from './login-state';
import { type OidcClientSettings, OidcLoginFailed, OidcRelyingParty } from './oidc-relying-party';
import { claimSsoHandoff, forgetExpiredSsoHandoffs } from '../sso/sso-handoffs.repository';

/**
 * Sign-in through an OpenID Connect provider, in three steps: `begin` sends the browser to the
 * provider with state, nonce and a PKCE challenge, whose checks go back to the browser sealed in
 * a cookie; `complete` takes the provider's callback (with that cookie), verifies it, signs the
 * person in to their Strata account (made or linked at the first sign-in; memberships brought in
 * line with the provider's rules) and answers a one-time code; `redeem` trades that code, once
 * and within a minute, for a session's tokens. Every failure is audited.
 */
@Injectable()
export class OidcSignInService {
  private readonly logger = new Logger('SingleSignOn');
  private readonly party: OidcRelyingParty;

  constructor(
    private readonly config: AppConfig,
    private readonly providers: IdentityProvidersService,
    private readonly accounts: SsoAccountsService,
    private readonly tokens: TokenService,
    private readonly users: UsersService,
    private readonly memberships: MembershipsRepository,
    @InjectRepository(SsoHandoff) private readonly handoffs: Repository<SsoHandoff>,
  ) {
    this.party = new OidcRelyingParty({ allowHttp: config.oidcAllowHttp });
  }

  /** The provider's authorization URL, and the sealed login state for the browser to keep. */
  async begin(
    slug: string,
    origin: string,
    { tenantRef, loginHint }: { tenantRef: string | null; loginHint?: string },
  ): Promise<{ url: URL; state: string; secure: boolean }> {
    const provider = await this.providers.findEnabled(slug, 'oidc');
    const settings = this.settings(provider, origin);
    const { url, checks } = await this.guarded(provider, () => this.party.begin(settings, { loginHint }));
    const state = sealLoginState(
      {
        ...checks,
        providerId: provider.id,
        tenantRef,
        expiresAt: Date.now() + LOGIN_STATE_TTL_SECONDS * 1000,
      },
      this.config.masterKey!,
    );
    return { url, state, secure: new URL(settings.redirectUri).protocol === 'https:' };
  }

  /**
   * Finishes a sign-in from the query the provider sent the browser back with and the login state
   * the browser kept; answers the one-time code the console redeems.
   */
  async complete(
    slug: string,
    callbackQuery: string,
    sealedState: string | undefined,
    origin: string,
  ): Promise<string> {
    const provider = await this.providers.findEnabled(slug, 'oidc');
    try {
      const state = openLoginState(sealedState, this.config.masterKey!);
      if (state === null || state.providerId !== provider.id) {
        throw ssoRejected(
          'This sign-in was not started in this browser or took too long; start it again from the sign-in page',
        );
      }
      const settings = this.settings(provider, origin);
      // The redirect URI as registered, whatever host or proxy the request came through.
      const callbackUrl = new URL(settings.redirectUri);
      callbackUrl.search = callbackQuery;
      const claims = await this.guarded(provider, () => this.party.complete(settings, callbackUrl, state));
      const user = await this.accounts.signIn(provider, {
        subject: claims.sub,
        email: typeof claims.email === 'string' ? claims.email : null,
        emailVerified: claims.email_verified === true,
        claimValues: claimValues(claims, provider.groupsClaim),
      });
      const bound = await this.accounts.bind(user, state.tenantRef);
      const code = `sso_${randomToken(32)}`;
      const now = new Date();
      await forgetExpiredSsoHandoffs(this.handoffs.manager);
      await this.handoffs.insert({
        codeHash: sha256Hex(code),
        userId: user.id,
        tenantId: bound.tenantId,
        providerId: provider.id,
        createdAt: now,
        expiresAt: new Date(now.getTime() + SSO_HANDOFF_TTL_SECONDS * 1000),
        redeemedAt: null,
      });
      return code;
    } catch (error) {
      if (error instanceof DomainError) await this.recordFailure(provider, error);
      throw error;
    }
  }

  /** A finished sign-in's tokens, for its one-time code; any other code is INVALID_SSO_HANDOFF. */
  async redeem(code: string, client: Pick<RequestInfo, 'ip' | 'userAgent'>): Promise<TokenPair> {
    const invalid = () =>
      new Unauthenticated(ErrorCode.INVALID_SSO_HANDOFF, 'The sign-in code is unknown, used or expired');
    const handoff = await claimSsoHandoff(this.handoffs.manager, sha256Hex(code));
    if (handoff === null) throw invalid();
    const user = await this.users.findById(handoff.userId);
    if (user === null || user.disabledAt !== null) throw invalid();
    const membership =
      handoff.tenantId === null ? null : await this.memberships.findForResolution(handoff.tenantId, user.id);
    if (handoff.tenantId !== null && membership === null && !user.platformAdmin) throw invalid();
    const provider = await this.providers.get(handoff.providerId).catch(() => null);
    await this.accounts.recordSignIn('oidc', provider?.slug ?? handoff.providerId, user.id, handoff.tenantId);
    return this.tokens.start(user, handoff.tenantId, membership, client, 'oidc');
  }

  private settings(provider: IdentityProvider, origin: string): OidcClientSettings {
    return {
      issuer: provider.issuer!,
      clientId: provider.clientId!,
      clientSecret: this.providers.clientSecretOf(provider),
      scopes: provider.scopes,
      redirectUri: `${this.config.publicUrl ?? origin}${oidcCallbackPath(provider.slug)}`,
    };
  }

  /** Runs a relying-party step, turning its failures into the API's errors. */
  private async guarded<T>(provider: IdentityProvider, step: () => Promise<T>): Promise<T> {
    try {
      return await step();
    } catch (error) {
      if (!(error instanceof OidcLoginFailed)) throw error;
      if (error.failure === 'provider') {
        this.logger.warn(`identity provider ${provider.slug}: ${error.message}`);
        throw new DomainError(
          502,
          ErrorCode.SSO_PROVIDER_UNAVAILABLE,
          `The identity provider ${provider.displayName} could not be reached; try again later`,
        );
      }
      throw ssoRejected(`The identity provider's answer did not check out: ${error.message}`);
    }
  }

  private recordFailure(provider: IdentityProvider, error: DomainError) {
    return this.accounts.recordFailure('oidc', provider.slug, error.code, { reason: error.message });
  }
}
