import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, IsNull, MoreThan, Repository } from 'typeorm';
import { AuditService } from '@strata/audit';
import { ErrorCode, NotFound } from '@strata/core';
import { AccessCache, type UserPrincipal } from '@strata/tenancy';
import type { SessionResponse } from './dto/session.response';
import { Session, type SessionEndReason } from './session.entity';
import { liveSessionAccount, revokeSessions, type SessionAccount } from './sessions.repository';

const sessionNotFound = () => new NotFound(ErrorCode.SESSION_NOT_FOUND, 'Session not found');

/** A user's own sessions: the per-request check, listing them, and ending them. */
@Injectable()
export class SessionsService {
  constructor(
    @InjectRepository(Session) private readonly sessions: Repository<Session>,
    private readonly audit: AuditService,
    private readonly cache: AccessCache,
  ) {}

  /**
   * The enabled account behind a live session of `userId`; null when either is gone. Kept by the
   * AccessCache until the session or the account changes (an end, a disable, a new email).
   */
  accountOf(sessionId: string, userId: string): Promise<SessionAccount | null> {
    return this.cache.read(
      'session',
      `${sessionId}|${userId}`,
      () => liveSessionAccount(this.sessions.manager, sessionId, userId),
      () => [`session:${sessionId}`, `user:${userId}`],
    );
  }

  /** The caller's live sessions, most recently used first. */
  async list(caller: UserPrincipal): Promise<SessionResponse[]> {
    const live = await this.sessions.find({
      where: { userId: caller.id, revokedAt: IsNull(), expiresAt: MoreThan(new Date()) },
      order: { lastUsedAt: 'DESC', id: 'ASC' },
    });
    return live.map((session) => ({
      id: session.id,
      current: session.id === caller.sessionId,
      tenant_id: session.tenantId,
      created_at: session.createdAt.toISOString(),
      last_used_at: session.lastUsedAt.toISOString(),
      expires_at: session.expiresAt.toISOString(),
      ip: session.ip,
      user_agent: session.userAgent,
    }));
  }

  /** Ends one of the caller's sessions; another user's, or an ended one, is not found. */
  async revoke(caller: UserPrincipal, sessionId: string): Promise<void> {
    const [ended] = await revokeSessions(this.sessions.manager, 'revoked', {
      userIds: [caller.id],
      sessionId,
    });
    if (!ended) throw sessionNotFound();
    await this.audit.record({
      action: 'auth.session_revoke',
      outcome: 'success',
      tenantId: ended.tenantId,
      resourceType: 'session',
      resourceId: ended.id,
    });
  }

  /** Sign out everywhere: ends every session of the caller, this one too; answers how many. */
  async revokeAll(caller: UserPrincipal): Promise<number> {
    const ended = await this.endAll([caller.id], 'signed_out_everywhere');
    await this.audit.record({
      action: 'auth.sign_out_everywhere',
      outcome: 'success',
      tenantId: null,
      resourceType: 'user',
      resourceId: caller.id,
      details: { sessions: ended },
    });
    return ended;
  }

  /** Ends every session of `userIds` (but `keep`), in `manager`'s transaction if given; answers how many. */
  async endAll(
    userIds: readonly string[],
    reason: SessionEndReason,
    options: { keep?: string | null; manager?: EntityManager } = {},
  ): Promise<number> {
    const ended = await revokeSessions(options.manager ?? this.sessions.manager, reason, {
      userIds,
      keep: options.keep ?? undefined,
    });
    return ended.length;
  }
}
