import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AppConfig, newId, randomToken, sha256Hex } from '@strata/core';
import type { Membership, RequestInfo, SignInMethod } from '@strata/tenancy';
import type { User } from '../users/user.entity';
import { Session } from '../sessions/session.entity';
import { revokeSessions, touchSession } from '../sessions/sessions.repository';
import { AccessTokenPayload, JWT_ALGORITHM, JWT_AUDIENCE, JWT_ISSUER } from './access-token';
import { RefreshToken } from './refresh-token.entity';
import { claimRefreshToken } from './refresh-tokens.repository';

export interface TokenPair {
  access_token: string;
  refresh_token: string;
  token_type: 'Bearer';
  expires_in: number;
}

/** Starts and renews sessions: their access tokens and refresh-token families. */
@Injectable()
export class TokenService {
  constructor(
    private readonly config: AppConfig,
    private readonly jwt: JwtService,
    @InjectRepository(RefreshToken) private readonly refreshTokens: Repository<RefreshToken>,
    @InjectRepository(Session) private readonly sessions: Repository<Session>,
  ) {}

  /** A new session of `user` (bound to `tenantId` if given), from where and how the sign-in came. */
  async start(
    user: User,
    tenantId: string | null,
    membership: Membership | null,
    client: Pick<RequestInfo, 'ip' | 'userAgent'>,
    signInMethod: SignInMethod,
  ): Promise<TokenPair> {
    const sessionId = newId();
    const now = new Date();
    await this.sessions.insert({
      id: sessionId,
      userId: user.id,
      tenantId,
      createdAt: now,
      lastUsedAt: now,
      expiresAt: this.refreshExpiry(),
      ip: client.ip,
      userAgent: client.userAgent?.slice(0, 512) ?? null,
      revokedAt: null,
      revokedReason: null,
      signInMethod,
    });
    return this.issue(user, tenantId, membership, sessionId);
  }

  /** The next token pair of a session whose refresh token was just consumed. */
  async renew(
    user: User,
    tenantId: string | null,
    membership: Membership | null,
    sessionId: string,
  ): Promise<TokenPair> {
    const pair = await this.issue(user, tenantId, membership, sessionId);
    await touchSession(this.sessions.manager, sessionId, this.refreshExpiry());
    return pair;
  }

  /**
   * Marks a live refresh token used, atomically, and returns it. Presenting a token that was
   * already used is a replay (a stolen copy, or the thief's): its session is revoked. Unknown and
   * expired tokens, and those of ended sessions, return null.
   */
  async consume(refreshToken: string): Promise<RefreshToken | null> {
    const tokenHash = sha256Hex(refreshToken);
    const claimed = await claimRefreshToken(this.refreshTokens.manager, tokenHash);
    if (claimed) return Object.assign(new RefreshToken(), claimed);
    const stale = await this.refreshTokens.findOne({ where: { tokenHash } });
    if (stale && stale.usedAt !== null) await this.endSession(stale, 'refresh_token_reused');
    return null;
  }

  /** Logout: ends the session of the given refresh token, if it is one, and returns that token. */
  async revoke(refreshToken: string): Promise<RefreshToken | null> {
    const token = await this.refreshTokens.findOne({ where: { tokenHash: sha256Hex(refreshToken) } });
    if (token) await this.endSession(token, 'logout');
    return token;
  }

  /** Ends the session a refresh token belongs to (its access tokens stop too). */
  async endSession(
    token: RefreshToken,
    reason: 'logout' | 'refresh_token_reused' | 'revoked',
  ): Promise<void> {
    await revokeSessions(this.sessions.manager, reason, {
      userIds: [token.userId],
      sessionId: token.familyId,
    });
  }

  private async issue(
    user: User,
    tenantId: string | null,
    membership: Membership | null,
    sessionId: string,
  ): Promise<TokenPair> {
    const payload: AccessTokenPayload = {
      sub: user.id,
      sid: sessionId,
      tenant_id: tenantId,
      knowledge_base_ids: membership?.knowledgeBaseIds ?? null,
      role: membership?.role ?? null,
      permissions: membership?.permissions ?? null,
      ...(user.platformAdmin ? { platform_admin: true as const } : {}),
    };
    const accessToken = await this.jwt.signAsync(payload, {
      secret: this.config.jwtSecret!,
      algorithm: JWT_ALGORITHM,
      issuer: JWT_ISSUER,
      audience: JWT_AUDIENCE,
      expiresIn: this.config.accessTokenTtlSeconds,
    });
    const refreshToken = randomToken(32);
    await this.refreshTokens.insert({
      id: newId(),
      tokenHash: sha256Hex(refreshToken),
      familyId: sessionId,
      userId: user.id,
      tenantId,
      expiresAt: this.refreshExpiry(),
      usedAt: null,
    });
    return {
      access_token: accessToken,
      refresh_token: refreshToken,
      token_type: 'Bearer',
      expires_in: this.config.accessTokenTtlSeconds,
    };
  }

  private refreshExpiry(): Date {
    return new Date(Date.now() + this.config.refreshTokenTtlSeconds * 1000);
  }
}
