import { Injectable } from '@nestjs/common';
import { AppConfig, ErrorCode, sha256Hex, TooManyRequests } from '@strata/core';
import { RateLimitStore } from '@strata/storage';

const tooMany = (retryAfterMs: number) =>
  new TooManyRequests(
    ErrorCode.TOO_MANY_LOGIN_ATTEMPTS,
    'Too many login attempts; try again later',
    retryAfterMs / 1000,
  );

/**
 * Slows password guessing: every attempt counts against the caller's IP, and every failure
 * against the account. A locked account refuses even the right password until the window ends.
 * Counters live in the RateLimitStore (Redis when configured, so all replicas share them).
 */
@Injectable()
export class LoginRateLimiter {
  private readonly window: number;
  private readonly maxPerIp: number;
  private readonly maxAccountFailures: number;

  constructor(
    config: AppConfig,
    private readonly store: RateLimitStore,
  ) {
    this.window = config.loginWindowSeconds;
    this.maxPerIp = config.loginMaxAttemptsPerIp;
    this.maxAccountFailures = config.loginMaxFailuresPerAccount;
  }

  /** Counts an attempt from `ip` and refuses it when the IP or the account is over its limit. */
  async admit(email: string, ip: string): Promise<void> {
    const perIp = await this.store.hit(`login-ip:${ip}`, this.window);
    if (perIp.count > this.maxPerIp) throw tooMany(perIp.resetInMs);
    const account = await this.store.peek(accountKey(email), this.window);
    if (account.count >= this.maxAccountFailures) throw tooMany(account.resetInMs);
  }

  async recordFailure(email: string): Promise<void> {
    await this.store.hit(accountKey(email), this.window);
  }

  async recordSuccess(email: string): Promise<void> {
    await this.store.reset(accountKey(email), this.window);
  }

  /** Forgets the account's failures (an operator's unlock); answers whether they had locked it. */
  async unlock(email: string): Promise<boolean> {
    const { count } = await this.store.peek(accountKey(email), this.window);
    await this.store.reset(accountKey(email), this.window);
    return count >= this.maxAccountFailures;
  }
}

// Keys are hashed so the store never holds addresses.
const accountKey = (email: string): string => `login-account:${sha256Hex(email.trim().toLowerCase())}`;
