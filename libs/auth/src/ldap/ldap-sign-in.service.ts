import { Injectable, Logger } from '@nestjs/common';
import { DomainError, ErrorCode } from '@strata/core';
import { LoginRateLimiter } from '../login/login-rate-limiter';
import { invalidCredentials } from '../login/password-check';
import type { IdentityProvider } from '../sso/identity-provider.entity';
import { IdentityProvidersService } from '../sso/identity-providers.service';
import { SsoAccountsService } from '../sso/sso-accounts.service';
import { type TokenPair, TokenService } from '../tokens/token.service';
import { LdapDirectory, LdapLoginFailed, type LdapPerson } from './ldap-directory';

/**
 * Sign-in with a directory name and password: checked against the LDAP server (throttled like a
 * password login, per provider and name), then the same account and rule handling as OpenID
 * Connect, and a session. Failures are audited; wrong name and wrong password answer alike.
 */
@Injectable()
export class LdapSignInService {
  private readonly logger = new Logger('SingleSignOn');
  private readonly directory = new LdapDirectory();

  constructor(
    private readonly providers: IdentityProvidersService,
    private readonly accounts: SsoAccountsService,
    private readonly tokens: TokenService,
    private readonly limiter: LoginRateLimiter,
  ) {}

  async login(
    slug: string,
    credentials: { username: string; password: string; tenantRef: string | null },
    client: { ip: string; userAgent: string | null },
  ): Promise<TokenPair> {
    const provider = await this.providers.findEnabled(slug, 'ldap');
    // Throttled per provider and name, apart from Strata's own accounts.
    const throttleKey = `ldap:${provider.id}:${credentials.username.trim().toLowerCase()}`;
    await this.limiter.admit(throttleKey, client.ip);
    let person: LdapPerson;
    try {
      person = await this.directory.authenticate(
        this.providers.ldapSettingsOf(provider),
        credentials.username,
        credentials.password,
      );
    } catch (error) {
      if (!(error instanceof LdapLoginFailed)) throw error;
      if (error.failure === 'credentials') {
        await this.limiter.recordFailure(throttleKey);
        await this.recordFailure(provider, credentials.username, ErrorCode.INVALID_CREDENTIALS);
        throw invalidCredentials();
      }
      this.logger.warn(`LDAP provider ${provider.slug}: ${error.message}`);
      await this.recordFailure(provider, credentials.username, ErrorCode.SSO_PROVIDER_UNAVAILABLE);
      throw new DomainError(
        502,
        ErrorCode.SSO_PROVIDER_UNAVAILABLE,
        `The directory ${provider.displayName} could not be used; try again later`,
      );
    }
    await this.limiter.recordSuccess(throttleKey);
    try {
      const user = await this.accounts.signIn(provider, {
        subject: person.subject,
        email: person.email,
        // The directory's own administrators set its emails.
        emailVerified: true,
        claimValues: person.groups,
      });
      const bound = await this.accounts.bind(user, credentials.tenantRef);
      await this.accounts.recordSignIn('ldap', provider.slug, user.id, bound.tenantId);
      return await this.tokens.start(user, bound.tenantId, bound.membership, client, 'ldap');
    } catch (error) {
      if (error instanceof DomainError) await this.recordFailure(provider, credentials.username, error.code);
      throw error;
    }
  }

  private recordFailure(provider: IdentityProvider, username: string, code: string) {
    return this.accounts.recordFailure('ldap', provider.slug, code, { username: username.trim() });
  }
}
