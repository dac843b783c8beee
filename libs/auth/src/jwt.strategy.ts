import { createSecretKey } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { AppConfig, UUID_PATTERN } from '@strata/core';
import type { UserPrincipal } from '@strata/tenancy';
import { AccessTokenPayload, JWT_ALGORITHM, JWT_AUDIENCE, JWT_ISSUER } from './tokens/access-token';
import { SessionsService } from './sessions/sessions.service';

/**
 * Verifies bearer JWTs (HS256 only: "none" and other algorithms are refused) and turns them into
 * a principal. The token's session and user are re-read on every request (one statement), so an
 * ended session (logout, sign out everywhere, a password change) and a disabled account stop at
 * once; roles come from the membership at tenant resolution, not from the token's claims. A token
 * without a session (issued before sessions existed) is refused: its holder signs in again.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    config: AppConfig,
    private readonly sessions: SessionsService,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // A KeyObject, not the string: given a string, jsonwebtoken first tries to parse it as a
      // PEM public key on every verification, and that failed parse took 12% of the API's CPU
      // on an authenticated read route (scale benchmark profile). Same bytes, same HS256 key.
      secretOrKey: createSecretKey(Buffer.from(config.jwtSecret!, 'utf8')) as unknown as string,
      algorithms: [JWT_ALGORITHM],
      issuer: JWT_ISSUER,
      audience: JWT_AUDIENCE,
      ignoreExpiration: false,
    });
  }

  async validate(payload: AccessTokenPayload): Promise<UserPrincipal | false> {
    if (typeof payload.sub !== 'string' || !UUID_PATTERN.test(payload.sub)) return false;
    // jsonwebtoken checks exp only when a token has one: a token made without one (a leaked secret,
    // a tool) would never expire. Every token issued here has one.
    if (typeof payload.exp !== 'number') return false;
    if (typeof payload.sid !== 'string' || !UUID_PATTERN.test(payload.sid)) return false;
    const account = await this.sessions.accountOf(payload.sid, payload.sub);
    if (account === null) return false;
    return {
      type: 'user',
      id: account.id,
      email: account.email,
      platformAdmin: account.platformAdmin,
      tokenTenantId: typeof payload.tenant_id === 'string' ? payload.tenant_id : null,
      sessionId: payload.sid,
      signInMethod: account.signInMethod,
    };
  }
}
