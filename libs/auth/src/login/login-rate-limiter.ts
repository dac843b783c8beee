import { Injectable } from '@nestjs/common';
import { AppConfig, ErrorCode, sha256Hex, TooManyRequests } from '@strata/core';
import { RateLimitStore } from '@strata/storage';

const tooMany = (retryAfterMs: number, message = 'Too many login attempts; try again later') =>
  new TooManyRequests(ErrorCode.TOO_MANY_LOGIN_ATTEMPTS, message, retryAfterMs / 1000);

/** Failures of an account that cost nothing: typing mistakes. */
export const FREE_LOGIN_FAILURES = 3;

/** What a failed login did to its account. */
export interface LoginFailure {
  /** The account's failures in the window, this one included. */
  failures: number;
  /** Seconds the account now waits before its next attempt (0: none; the window when locked). */
  waitSeconds: number;
  /** Whether this failure locked the account. */
  locked: boolean;
}

/**
 * Slows password guessing: every attempt counts against the caller's IP, and every failure
 * against the account. After FREE_LOGIN_FAILURES failures, each further one makes the account wait
 * before its next attempt, twice as long each time (1 s, 2 s, 4 s, …); at
 * LOGIN_MAX_FAILURES_PER_ACCOUNT it is locked and refuses even the right password until the window
 * ends or an operator unlocks it. Counters live in the RateLimitStore (Redis when configured, so
 * all replicas share them).
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
    const wait = this.waitAfter(account.count);
    if (wait > 0) {
      // The wait's key lives as long as the wait; its length follows from the failures so far.
      const waiting = await this.store.peek(waitKey(email), wait);
      if (waiting.count > 0) {
        throw tooMany(
          waiting.resetInMs,
          `Too many failed logins for this account; try again in ${Math.ceil(waiting.resetInMs / 1000)} s`,
        );
      }
    }
  }

  async recordFailure(email: string): Promise<LoginFailure> {
    const { count } = await this.store.hit(accountKey(email), this.window);
    if (count >= this.maxAccountFailures) return { failures: count, waitSeconds: this.window, locked: true };
    const wait = this.waitAfter(count);
    if (wait > 0) await this.store.hit(waitKey(email), wait);
    return { failures: count, waitSeconds: wait, locked: false };
  }

  async recordSuccess(email: string): Promise<void> {
    await this.store.reset(accountKey(email), this.window);
  }

  /** Forgets the account's failures and wait (an operator's unlock); answers whether it was locked. */
  async unlock(email: string): Promise<boolean> {
    const { count } = await this.store.peek(accountKey(email), this.window);
    await this.store.reset(accountKey(email), this.window);
    const wait = this.waitAfter(count);
    if (wait > 0) await this.store.reset(waitKey(email), wait);
    return count >= this.maxAccountFailures;
  }

  /** The wait after an account's n-th failure: none for the free ones, then 1 s, doubling. */
  private waitAfter(failures: number): number {
    if (failures < FREE_LOGIN_FAILURES || failures >= this.maxAccountFailures) return 0;
    return Math.min(2 ** (failures - FREE_LOGIN_FAILURES), this.window);
  }
}

// Keys are hashed so the store never holds addresses.
const accountHash = (email: string): string => sha256Hex(email.trim().toLowerCase());
const accountKey = (email: string): string => `login-account:${accountHash(email)}`;
const waitKey = (email: string): string => `login-wait:${accountHash(email)}`;
