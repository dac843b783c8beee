import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '@strata/audit';
import { ErrorCode, Forbidden, Unauthenticated } from '@strata/core';
import type { UserPrincipal } from '@strata/tenancy';
import { PasswordCheck } from '../login/password-check';
import { SessionsService } from '../sessions/sessions.service';
import { PasswordHasher } from './password-hasher';
import { User } from './user.entity';
import { UsersService } from './users.service';

/** A person's own password: changing it ends every other session of theirs. */
@Injectable()
export class PasswordsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersService,
    private readonly check: PasswordCheck,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
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
      await manager.update(User, { id: user.id }, { passwordHash });
      const ended = await this.sessions.endAll([user.id], 'password_changed', {
        keep: caller.sessionId,
        manager,
      });
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
}
