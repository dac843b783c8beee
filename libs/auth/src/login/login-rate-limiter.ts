import { Injectable } from '@nestjs/common';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { AppConfig, ErrorCode, sha256Hex, TooManyRequests } from '@strata/core';

const tooMany = (retryAfterMs: number) =>
  new TooManyRequests(
    ErrorCode.TOO_MANY_LOGIN_ATTEMPTS,
    'Too many login attempts; try again later',
    retryAfterMs / 1000,
  );

/**
 * Slows password guessing: every attempt counts against the caller's IP, and every failure
 * against the account. A locked account refuses even the right password until the window ends.
 * In memory per process; a later issue moves rate limits to Redis for multi-replica deployments.
 */
@Injectable()
export class LoginRateLimiter {
  private readonly perIp: RateLimiterMemory;
  private readonly perAccount: RateLimiterMemory;
  private readonly maxAccountFailures: number;

  constructor(config: AppConfig) {
    this.perIp = new RateLimiterMemory({
      keyPrefix: 'login-ip',
      points: config.loginMaxAttemptsPerIp,
      duration: config.loginWindowSeconds,
    });
    this.maxAccountFailures = config.loginMaxFailuresPerAccount;
    this.perAccount = new RateLimiterMemory({
      keyPrefix: 'login-account',
      points: config.loginMaxFailuresPerAccount,
      duration: config.loginWindowSeconds,
    });
  }

  /** Counts an attempt from `ip` and refuses it when the IP or the account is over its limit. */
  async admit(email: string, ip: string): Promise<void> {
    try {
      await this.perIp.consume(ip);
    } catch (rejection) {
      throw tooMany((rejection as RateLimiterRes).msBeforeNext);
    }
    const account = await this.perAccount.get(accountKey(email));
    if (account !== null && account.consumedPoints >= this.maxAccountFailures)
      throw tooMany(account.msBeforeNext);
  }

  async recordFailure(email: string): Promise<void> {
    await this.perAccount.penalty(accountKey(email), 1);
  }

  async recordSuccess(email: string): Promise<void> {
    await this.perAccount.delete(accountKey(email));
  }
}

// Keys are hashed so the limiter never holds addresses in memory dumps.
const accountKey = (email: string): string => sha256Hex(email.trim().toLowerCase());
