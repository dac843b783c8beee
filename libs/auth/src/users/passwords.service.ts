import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '@strata/audit';
import { BadRequest, ErrorCode, Forbidden, sha256Hex, Unauthenticated } from '@strata/core';
import type { UserPrincipal } from '@strata/tenancy';
import { claimPasswordReset } from '../accounts/accounts.repository';
import { LoginRateLimiter } from '../login/login-rate-limiter';
import { PasswordCheck } from '../login/password-check';
import type { SessionEndReason } from '../sessions/session.entity';
import { SessionsService } from '../sessions/sessions.service';
import { PasswordHasher } from './password-hasher';
import { User } from './user.entity';
import { UsersService } from './users.service';

// One answer for a reset token that never existed, was used, replaced or has expired.
const invalidReset = () =>
  new BadRequest(
    ErrorCode.INVALID_PASSWORD_RESET,
    'This password reset cannot be used: it is unknown, already used, replaced or expired',
  );

/**
 * A person's own password, set by changing it (the current one required) or with a reset token a
 * platform admin issued; either way the account's other sessions end with the old password.
 */
@Injectable()
export class PasswordsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersService,
    private readonly check: PasswordCheck,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
    private readonly limiter: LoginRateLimiter,
  ) {}

  /**
   * Sets the caller's password once the current one matches (checked and throttled like a login,
   * 429 while throttled). A wrong one is 403 INVALID_CURRENT_PASSWORD, not a login's 401: the
   * caller's own credential is fine, and clients take a 401 to mean their session is gone. Every
   * other session of theirs ends with the change, in the same transaction; this one stays.
   */
  async change(caller: UserPrincipal, current: string, next: string, ip: string): Promise<void> {
    const user = await this.users.findById(caller.id);
    if (user === null) throw new Error(`the signed-in user ${caller.id} has no account`);
    await this.check.verify(user, current, ip).catch((error: unknown) => {
      throw error instanceof Unauthenticated
        ? new Forbidden(ErrorCode.INVALID_CURRENT_PASSWORD, 'The current password does not match')
        : error;
    });
    const passwordHash = await this.hasher.hash(next);
    await this.dataSource.transaction(async (manager) => {
      const ended = await this.replace(manager, user.id, passwordHash, 'password_changed', caller.sessionId);
      await this.audit.record(
        {
          action: 'auth.password_change',
          outcome: 'success',
          tenantId: null,
          resourceType: 'user',
          resourceId: user.id,
          details: { other_sessions_ended: ended },
        },
        manager,
      );
    });
  }

  /**
   * Sets a new password with a reset token, once: every session of the account ends and its
   * failed logins are cleared (a reset is how a locked-out person gets back in). A disabled
   * account gets its password but stays disabled.
   */
  async redeemReset(token: string, next: string): Promise<void> {
    const passwordHash = await this.hasher.hash(next);
    const email = await this.dataSource.transaction(async (manager) => {
      const userId = await claimPasswordReset(manager, sha256Hex(token));
      if (userId === null) throw invalidReset();
      const ended = await this.replace(manager, userId, passwordHash, 'password_reset', null);
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

  /** Writes the new password and ends the account's sessions but `keep`; answers how many ended. */
  private async replace(
    manager: EntityManager,
    userId: string,
    passwordHash: string,
    reason: SessionEndReason,
    keep: string | null,
  ): Promise<number> {
    await manager.update(User, { id: userId }, { passwordHash });
    return this.sessions.endAll([userId], reason, { keep, manager });
  }
}
