import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, MoreThan, Repository } from 'typeorm';
import { AuditService } from '@strata/audit';
import {
  BadRequest,
  Conflict,
  ErrorCode,
  newId,
  NotFound,
  Page,
  randomToken,
  sha256Hex,
  toPage,
} from '@strata/core';
import { TenantContextService } from '@strata/tenancy';
import { LoginRateLimiter } from '../login/login-rate-limiter';
import { SessionsService } from '../sessions/sessions.service';
import { PasswordHasher } from '../users/password-hasher';
import { User } from '../users/user.entity';
import { enableUser } from '../users/users.repository';
import { normaliseEmail } from '../users/users.service';
import { claimPasswordReset, disableAccount, revokePasswordResets } from './accounts.repository';
import { AccountResponse, PasswordResetIssuedResponse } from './dto/account.dto';
import { PASSWORD_RESET_TTL_HOURS, PasswordReset } from './password-reset.entity';

const userNotFound = () => new NotFound(ErrorCode.USER_NOT_FOUND, 'User not found');
// One answer for a token that never existed, was used, replaced or has expired.
const invalidReset = () =>
  new BadRequest(
    ErrorCode.INVALID_PASSWORD_RESET,
    'This password reset cannot be used: it is unknown, already used, replaced or expired',
  );

/**
 * Accounts as platform admins (and the operator's CLI) run them: list, disable and enable, and
 * one-time password resets the person redeems. Every change is audited on the platform chain.
 */
@Injectable()
export class AccountsService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly sessions: SessionsService,
    private readonly hasher: PasswordHasher,
    private readonly limiter: LoginRateLimiter,
    private readonly audit: AuditService,
    private readonly contexts: TenantContextService,
  ) {}

  async list(
    email: string | undefined,
    afterId: string | null,
    limit: number,
  ): Promise<Page<AccountResponse>> {
    const rows = await this.users.find({
      where: {
        ...(email !== undefined ? { email: normaliseEmail(email) } : {}),
        ...(afterId !== null ? { id: MoreThan(afterId) } : {}),
      },
      order: { id: 'ASC' },
      take: limit + 1,
    });
    return toPage(rows, limit, AccountResponse.from);
  }

  /** The account with this email; unknown is USER_NOT_FOUND. */
  async findByEmail(email: string): Promise<User> {
    const user = await this.users.findOne({ where: { email: normaliseEmail(email) } });
    if (user === null) throw userNotFound();
    return user;
  }

  /**
   * Disables an account (a platform admin's too, but never the caller's own): it signs in no more
   * and every session of it ends at once. API keys it created stay: they belong to their tenant.
   */
  async disable(userId: string): Promise<AccountResponse> {
    const caller = this.contexts.principal();
    if (caller?.type === 'user' && caller.id === userId)
      throw new Conflict(ErrorCode.CANNOT_DISABLE_SELF, 'You cannot disable your own account');
    return this.dataSource.transaction(async (manager) => {
      const changed = await disableAccount(manager, userId);
      const user = await manager.getRepository(User).findOne({ where: { id: userId } });
      if (user === null) throw userNotFound();
      if (changed) {
        const ended = await this.sessions.endAll([userId], 'account_disabled', { manager });
        await this.recordAccountChange('user.disable', userId, { sessions_ended: ended }, manager);
      }
      return AccountResponse.from(user);
    });
  }

  /** Enables a disabled account again, with its own password; its old sessions stay ended. */
  async enable(userId: string): Promise<AccountResponse> {
    return this.dataSource.transaction(async (manager) => {
      const changed = await enableUser(manager, userId);
      const user = await manager.getRepository(User).findOne({ where: { id: userId } });
      if (user === null) throw userNotFound();
      if (changed) await this.recordAccountChange('user.enable', userId, {}, manager);
      return AccountResponse.from(user);
    });
  }

  /**
   * A one-time password reset for the account, valid PASSWORD_RESET_TTL_HOURS; it replaces any
   * earlier one. The token is in the answer only.
   */
  async issueReset(userId: string): Promise<PasswordResetIssuedResponse> {
    const token = `pwr_${randomToken(32)}`;
    const now = new Date();
    const expiresAt = new Date(now.getTime() + PASSWORD_RESET_TTL_HOURS * 3_600_000);
    const principal = this.contexts.principal();
    await this.dataSource.transaction(async (manager) => {
      const user = await manager.getRepository(User).findOne({ where: { id: userId } });
      if (user === null) throw userNotFound();
      const replaced = await revokePasswordResets(manager, userId);
      await manager.getRepository(PasswordReset).insert({
        id: newId(),
        userId,
        tokenHash: sha256Hex(token),
        issuedBy: principal ? `${principal.type}:${principal.id}` : 'system:unknown',
        createdAt: now,
        expiresAt,
        usedAt: null,
        revokedAt: null,
      });
      await this.recordAccountChange(
        'user.password_reset_issue',
        userId,
        { expires_at: expiresAt.toISOString(), replaced },
        manager,
      );
    });
    return { token, expires_at: expiresAt.toISOString() };
  }

  /**
   * Sets a new password with a reset token, once: every session of the account ends and its
   * failed logins are cleared (a reset is how a locked-out person gets back in). A disabled
   * account gets its password but stays disabled.
   */
  async redeemReset(token: string, newPassword: string): Promise<void> {
    const passwordHash = await this.hasher.hash(newPassword);
    const email = await this.dataSource.transaction(async (manager) => {
      const userId = await claimPasswordReset(manager, sha256Hex(token));
      if (userId === null) throw invalidReset();
      await manager.getRepository(User).update({ id: userId }, { passwordHash });
      const ended = await this.sessions.endAll([userId], 'password_reset', { manager });
      await this.audit.record(
        {
          action: 'auth.password_reset',
          outcome: 'success',
          tenantId: null,
          actor: { type: 'user', id: userId },
          resourceType: 'user',
          resourceId: userId,
          details: { sessions_ended: ended },
        },
        manager,
      );
      return (await manager.getRepository(User).findOneOrFail({ where: { id: userId } })).email;
    });
    await this.limiter.recordSuccess(email);
  }

  private recordAccountChange(
    action: string,
    userId: string,
    details: Record<string, unknown>,
    manager: EntityManager,
  ) {
    return this.audit.record(
      { action, outcome: 'success', tenantId: null, resourceType: 'user', resourceId: userId, details },
      manager,
    );
  }
}
