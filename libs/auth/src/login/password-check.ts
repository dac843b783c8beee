import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode, Unauthenticated } from '@strata/core';
import type { User } from '../users/user.entity';
import { PasswordHasher } from '../users/password-hasher';
import { LoginRateLimiter } from './login-rate-limiter';

/** Every failed login's one answer, whatever part was wrong. */
export const invalidCredentials = () =>
  new Unauthenticated(ErrorCode.INVALID_CREDENTIALS, 'Invalid email or password');

/** The one answer to a password sign-in where local passwords are off (LOCAL_PASSWORDS=false). */
export const localPasswordsDisabled = () =>
  new DomainError(
    403,
    ErrorCode.LOCAL_PASSWORDS_DISABLED,
    'Signing in with a password is turned off here; sign in through your organisation’s identity provider',
  );

/**
 * An account's password checked outside a login (accepting an invitation as an existing user),
 * under the same throttling: the attempt counts against the IP, a failure against the account.
 */
@Injectable()
export class PasswordCheck {
  constructor(
    private readonly hasher: PasswordHasher,
    private readonly limiter: LoginRateLimiter,
  ) {}

  /** Throws 429 while the IP or account is throttled, 401 INVALID_CREDENTIALS when it does not match. */
  async verify(user: User, password: string, ip: string): Promise<void> {
    await this.limiter.admit(user.email, ip);
    if (!(await this.hasher.verify(user.passwordHash, password))) {
      await this.limiter.recordFailure(user.email);
      throw invalidCredentials();
    }
    await this.limiter.recordSuccess(user.email);
  }
}
