import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { AppConfig, newId, randomToken, sha256Hex } from '@strata/core';
import type { Membership } from '@strata/tenancy';
import type { User } from '../users/user.entity';
import { AccessTokenPayload, JWT_ALGORITHM, JWT_AUDIENCE, JWT_ISSUER } from './access-token';
import { RefreshToken } from './refresh-token.entity';
import { claimRefreshToken } from './refresh-tokens.repository';

export interface TokenPair {
  access_token: string;
  refresh_token: string;
  token_type: 'Bearer';
  expires_in: number;
}

/** Issues access tokens and manages refresh-token families. */
@Injectable()
export class TokenService {
  constructor(
    private readonly config: AppConfig,
    private readonly jwt: JwtService,
    @InjectRepository(RefreshToken) private readonly refreshTokens: Repository<RefreshToken>,
  ) {}

  /** A new access token and a refresh token in `familyId` (a new family when omitted). */
  async issue(
    user: User,
    tenantId: string | null,
    membership: Membership | null,
    familyId = newId(),
  ): Promise<TokenPair> {
    const payload: AccessTokenPayload = {
      sub: user.id,
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
      familyId,
      userId: user.id,
      tenantId,
      expiresAt: new Date(Date.now() + this.config.refreshTokenTtlSeconds * 1000),
      usedAt: null,
      revokedAt: null,
    });
    return {
      access_token: accessToken,
      refresh_token: refreshToken,
      token_type: 'Bearer',
      expires_in: this.config.accessTokenTtlSeconds,
    };
  }

  /**
   * Marks a live refresh token used, atomically, and returns it. A token that was already used or
   * revoked is a replay: its whole family is revoked. Unknown and expired tokens return null.
   */
  async consume(refreshToken: string): Promise<RefreshToken | null> {
    const tokenHash = sha256Hex(refreshToken);
    const claimed = await claimRefreshToken(this.refreshTokens.manager, tokenHash);
    if (claimed) return Object.assign(new RefreshToken(), claimed);
    const stale = await this.refreshTokens.findOne({ where: { tokenHash } });
    if (stale && (stale.usedAt !== null || stale.revokedAt !== null)) await this.revokeFamily(stale.familyId);
    return null;
  }

  async revokeFamily(familyId: string): Promise<void> {
    await this.refreshTokens.update({ familyId, revokedAt: IsNull() }, { revokedAt: new Date() });
  }

  /** Logout: revokes the family of the given token, if it is one, and returns that token. */
  async revoke(refreshToken: string): Promise<RefreshToken | null> {
    const token = await this.refreshTokens.findOne({ where: { tokenHash: sha256Hex(refreshToken) } });
    if (token) await this.revokeFamily(token.familyId);
    return token;
  }
}
