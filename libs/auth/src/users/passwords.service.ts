import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '@strata/audit';
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
   * Sets the caller's password once the current one matches (checked and throttled like a login:
   * 401 INVALID_CREDENTIALS, 429 while throttled). Every other session of theirs ends with it, in
   * the same transaction; the one the request came in through stays.
   */
  async change(caller: UserPrincipal, current: string, next: string, ip: string): Promise<void> {
    const user = await this.users.findById(caller.id);
    if (user === null) throw new Error(`the signed-in user ${caller.id} has no account`);
    await this.check.verify(user, current, ip);
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
