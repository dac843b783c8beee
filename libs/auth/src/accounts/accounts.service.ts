import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, MoreThan, Repository } from 'typeorm';
import { AuditService } from '@strata/audit';
import { Conflict, ErrorCode, newId, NotFound, Page, randomToken, sha256Hex, toPage } from '@strata/core';
import { principalRef, TenantContextService } from '@strata/tenancy';
import { SessionsService } from '../sessions/sessions.service';
import { User } from '../users/user.entity';
import { disableUser, enableUser } from '../users/users.repository';
import { normaliseEmail, UsersService } from '../users/users.service';
import { revokePasswordResets } from './accounts.repository';
import { AccountResponse, PasswordResetIssuedResponse } from './dto/account.dto';
import { PASSWORD_RESET_TTL_HOURS, PasswordReset } from './password-reset.entity';

const userNotFound = () => new NotFound(ErrorCode.USER_NOT_FOUND, 'User not found');

/** What an account change records, when it changed anything. */
interface AccountChange {
  action: string;
  details: Record<string, unknown>;
}

/**
 * Accounts as platform admins (and the operator's CLI) run them: list, disable and enable, and
 * issue one-time password resets (the person redeems one through PasswordsService). Every change
 * is audited on the platform chain.
 */
@Injectable()
export class AccountsService {
  constructor(
    @InjectRepository(User) private readonly userRows: Repository<User>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
    private readonly contexts: TenantContextService,
  ) {}

  async list(
    email: string | undefined,
    afterId: string | null,
    limit: number,
  ): Promise<Page<AccountResponse>> {
    const rows = await this.userRows.find({
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
    const user = await this.users.findByEmail(email);
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
    return this.changeAccess(userId, async (manager) => {
      if (!(await disableUser(manager, userId))) return null;
      const ended = await this.sessions.endAll([userId], 'account_disabled', { manager });
      return { action: 'user.disable', details: { sessions_ended: ended } };
    });
  }

  /** Enables a disabled account again, with its own password; its old sessions stay ended. */
  enable(userId: string): Promise<AccountResponse> {
    return this.changeAccess(userId, async (manager) =>
      (await enableUser(manager, userId)) ? { action: 'user.enable', details: {} } : null,
    );
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
        issuedBy: principal ? principalRef(principal) : 'system:unknown',
        createdAt: now,
        expiresAt,
        usedAt: null,
        revokedAt: null,
      });
      await this.record(manager, userId, {
        action: 'user.password_reset_issue',
        details: { expires_at: expiresAt.toISOString(), replaced },
      });
    });
    return { token, expires_at: expiresAt.toISOString() };
  }

  /**
   * Runs an enable or disable in a transaction: `change` answers what to record, or null when the
   * account was already so (then nothing is recorded). An unknown account is USER_NOT_FOUND.
   */
  private changeAccess(
    userId: string,
    change: (manager: EntityManager) => Promise<AccountChange | null>,
  ): Promise<AccountResponse> {
    return this.dataSource.transaction(async (manager) => {
      const changed = await change(manager);
      const user = await manager.getRepository(User).findOne({ where: { id: userId } });
      if (user === null) throw userNotFound();
      if (changed) await this.record(manager, userId, changed);
      return AccountResponse.from(user);
    });
  }

  private record(manager: EntityManager, userId: string, { action, details }: AccountChange) {
    return this.audit.record(
      { action, outcome: 'success', tenantId: null, resourceType: 'user', resourceId: userId, details },
      manager,
    );
  }
}
