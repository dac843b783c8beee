import { Injectable } from '@nestjs/common';
import { AuditService } from '@strata/audit';
import { AppConfig, ErrorCode, Unauthenticated } from '@strata/core';
import { effectivePermissions, MembershipsRepository, TenantLookup, type Principal } from '@strata/tenancy';
import type { MeResponse } from './dto/me.response';
import { LoginRateLimiter } from './login/login-rate-limiter';
import { SessionBinding } from './login/session-binding';
import { invalidCredentials, localPasswordsDisabled } from './login/password-check';
import { TokenPair, TokenService } from './tokens/token.service';
import { PasswordHasher } from './users/password-hasher';
import { normaliseEmail, UsersService } from './users/users.service';

const invalidRefreshToken = () =>
  new Unauthenticated(ErrorCode.INVALID_REFRESH_TOKEN, 'Refresh token is invalid, expired or revoked');

/** Login, token refresh and logout. */
@Injectable()
export class AuthService {
  constructor(
    private readonly config: AppConfig,
    private readonly users: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly tokens: TokenService,
    private readonly limiter: LoginRateLimiter,
    private readonly memberships: MembershipsRepository,
    private readonly tenants: TenantLookup,
    private readonly audit: AuditService,
    private readonly binding: SessionBinding,
  ) {}

  /**
   * Every failure (unknown email, wrong password, disabled user, tenant the user is not in) gives
   * the same answer after the same password check, so none can be told apart.
   */
  async login(
    email: string,
    password: string,
    tenantRef: string | undefined,
    client: { ip: string; userAgent: string | null },
  ): Promise<TokenPair> {
    await this.limiter.admit(email, client.ip);
    const user = await this.users.findByEmail(email);
    const passwordOk = await this.hasher.verify(user?.passwordHash ?? null, password);
    // With local passwords off only platform admins sign in so; everyone else, right password or
    // not, gets the same refusal (it tells no account from another).
    const passwordsAllowed = this.config.localPasswords || (user?.platformAdmin ?? false);
    const binding =
      user && passwordOk && passwordsAllowed && user.disabledAt === null
        ? await this.binding.bind(user, tenantRef)
        : null;
    if (!user || binding === null) {
      const failure = await this.limiter.recordFailure(email);
      const details = { email: normaliseEmail(email), ...(tenantRef ? { tenant: tenantRef } : {}) };
      await this.audit.recordMany([
        {
          action: 'auth.login_failed',
          outcome: 'denied',
          tenantId: null,
          actor: { type: 'anonymous', id: null },
          details: { ...details, failures: failure.failures, wait_seconds: failure.waitSeconds },
        },
        ...(failure.locked
          ? [
              {
                action: 'auth.account_locked',
                outcome: 'denied' as const,
                tenantId: null,
                actor: { type: 'system' as const, id: null },
                details: {
                  email: details.email,
                  failures: failure.failures,
                  for_seconds: failure.waitSeconds,
                },
              },
            ]
          : []),
      ]);
      throw this.config.localPasswords ? invalidCredentials() : localPasswordsDisabled();
    }
    await this.limiter.recordSuccess(email);
    await this.audit.record({
      action: 'auth.login',
      outcome: 'success',
      tenantId: binding.tenantId,
      actor: { type: 'user', id: user.id },
      resourceType: 'user',
      resourceId: user.id,
    });
    return this.tokens.start(user, binding.tenantId, binding.membership, client, 'password');
  }

  /** Rotates a refresh token; the new access token reflects the user's current membership. */
  async refresh(refreshToken: string): Promise<TokenPair> {
    const consumed = await this.tokens.consume(refreshToken);
    if (consumed === null) {
      await this.audit.record({
        action: 'auth.refresh_failed',
        outcome: 'denied',
        tenantId: null,
        actor: { type: 'anonymous', id: null },
      });
      throw invalidRefreshToken();
    }
    const user = await this.users.findById(consumed.userId);
    const membership =
      consumed.tenantId === null
        ? null
        : await this.memberships.findForResolution(consumed.tenantId, consumed.userId);
    const stillAllowed =
      user !== null &&
      user.disabledAt === null &&
      (consumed.tenantId === null || membership !== null || user.platformAdmin);
    const actor = { type: 'user' as const, id: consumed.userId };
    if (!stillAllowed) {
      await this.tokens.endSession(consumed, 'revoked');
      await this.audit.record({
        action: 'auth.refresh_failed',
        outcome: 'denied',
        tenantId: consumed.tenantId,
        actor,
      });
      throw invalidRefreshToken();
    }
    await this.audit.record({
      action: 'auth.refresh',
      outcome: 'success',
      tenantId: consumed.tenantId,
      actor,
    });
    return this.tokens.renew(user, consumed.tenantId, membership, consumed.familyId);
  }

  async logout(refreshToken: string): Promise<void> {
    const session = await this.tokens.revoke(refreshToken);
    if (session !== null) {
      await this.audit.record({
        action: 'auth.logout',
        outcome: 'success',
        tenantId: session.tenantId,
        actor: { type: 'user', id: session.userId },
      });
    }
  }

  /** The caller and the tenants they belong to (for an API key: the key and its tenant). */
  async me(principal: Principal): Promise<MeResponse> {
    if (principal.type === 'system') throw new Error('a job has no /me');
    if (principal.type === 'api_key') {
      const { id, role, kbIds, permissions } = principal;
      return {
        user: null,
        api_key: { id, role, knowledge_base_ids: kbIds, permissions },
        tenant_id: principal.tokenTenantId,
        memberships: [],
      };
    }
    const memberships = await this.memberships.listForUser(principal.id);
    const rows = await Promise.all(
      memberships.map(async (membership) => ({
        membership,
        tenant: await this.tenants.findTenant({ id: membership.tenantId }),
      })),
    );
    return {
      user: { id: principal.id, email: principal.email, platform_admin: principal.platformAdmin },
      api_key: null,
      tenant_id: principal.tokenTenantId,
      memberships: rows
        .filter(({ tenant }) => tenant !== null && tenant.status !== 'deleting')
        .map(({ membership, tenant }) => ({
          tenant_id: tenant!.id,
          tenant_slug: tenant!.slug,
          tenant_name: tenant!.name,
          role: membership.role,
          knowledge_base_ids: membership.knowledgeBaseIds,
          permissions: effectivePermissions(membership.role, membership.permissions),
        })),
    };
  }

  /**
   * Clears an account's failed logins (a lock included), for an operator; recorded in the platform
   * chain whether or not the account exists or was locked, so the answer says nothing of accounts.
   */
  async unlock(email: string): Promise<{ was_locked: boolean }> {
    const wasLocked = await this.limiter.unlock(email);
    await this.audit.record({
      action: 'auth.unlock',
      outcome: 'success',
      tenantId: null,
      details: { email: normaliseEmail(email), was_locked: wasLocked },
    });
    return { was_locked: wasLocked };
  }
}
