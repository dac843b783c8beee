import { DomainError, loadConfig } from '@strata/core';
import { MemoryRateLimitStore } from '@strata/storage';
import { LoginRateLimiter } from './login-rate-limiter';

const limiter = (env: Record<string, string>) =>
  new LoginRateLimiter(loadConfig(env), new MemoryRateLimitStore());

async function refusal(promise: Promise<void>): Promise<string | null> {
  try {
    await promise;
    return null;
  } catch (error) {
    return `${(error as DomainError).status} ${(error as DomainError).code}`;
  }
}

describe('LoginRateLimiter', () => {
  it('locks an account after its failures and frees it on success', async () => {
    const l = limiter({ LOGIN_MAX_FAILURES_PER_ACCOUNT: '2' });
    await l.admit('a@x', '1.1.1.1');
    await l.recordFailure('a@x');
    expect(await refusal(l.admit('A@X', '1.1.1.2'))).toBeNull();
    await l.recordFailure('a@x');
    expect(await refusal(l.admit('a@x', '1.1.1.3'))).toBe('429 TOO_MANY_LOGIN_ATTEMPTS');
    expect(await refusal(l.admit('b@x', '1.1.1.3'))).toBeNull();
    await l.recordSuccess('a@x');
    expect(await refusal(l.admit('a@x', '1.1.1.4'))).toBeNull();
  });

  it('unlocks an account for an operator, saying whether its failures had locked it', async () => {
    const l = limiter({ LOGIN_MAX_FAILURES_PER_ACCOUNT: '2' });
    await l.recordFailure('a@x');
    expect(await l.unlock('a@x')).toBe(false);
    await l.recordFailure('a@x');
    await l.recordFailure('a@x');
    expect(await refusal(l.admit('a@x', '1.1.1.1'))).toBe('429 TOO_MANY_LOGIN_ATTEMPTS');
    expect(await l.unlock('A@X')).toBe(true);
    expect(await refusal(l.admit('a@x', '1.1.1.1'))).toBeNull();
  });

  describe('before the lock', () => {
    beforeEach(() => jest.useFakeTimers({ now: new Date('2026-12-02T00:00:00Z') }));
    afterEach(() => jest.useRealTimers());

    it('makes an account wait after its free failures, twice as long each time, then locks it', async () => {
      const l = limiter({ LOGIN_MAX_FAILURES_PER_ACCOUNT: '7', LOGIN_WINDOW_SECONDS: '900' });
      const waits: number[] = [];
      for (let n = 1; n <= 7; n++) {
        const failure = await l.recordFailure('a@x');
        expect(failure.failures).toBe(n);
        waits.push(failure.waitSeconds);
        if (failure.locked) break;
        if (failure.waitSeconds > 0) {
          expect(await refusal(l.admit('a@x', '1.1.1.1'))).toBe('429 TOO_MANY_LOGIN_ATTEMPTS');
          // Another account is not held up by this one's wait.
          expect(await refusal(l.admit('b@x', '1.1.1.1'))).toBeNull();
          jest.advanceTimersByTime(failure.waitSeconds * 1000 - 100);
          expect(await refusal(l.admit('a@x', '1.1.1.1'))).toBe('429 TOO_MANY_LOGIN_ATTEMPTS');
          jest.advanceTimersByTime(200);
        }
        expect(await refusal(l.admit('a@x', '1.1.1.1'))).toBeNull();
      }
      expect(waits).toEqual([0, 0, 1, 2, 4, 8, 900]);
      jest.advanceTimersByTime(60_000);
      expect(await refusal(l.admit('a@x', '1.1.1.1'))).toBe('429 TOO_MANY_LOGIN_ATTEMPTS');
    });

    it('says how long the wait is, and an unlock ends it', async () => {
      const l = limiter({});
      for (let n = 0; n < 5; n++) await l.recordFailure('a@x');
      await expect(l.admit('a@x', '1.1.1.1')).rejects.toMatchObject({
        message: 'Too many failed logins for this account; try again in 4 s',
      });
      expect(await l.unlock('a@x')).toBe(false);
      expect(await refusal(l.admit('a@x', '1.1.1.1'))).toBeNull();
    });
  });

  it('limits attempts per IP whatever the account', async () => {
    const l = limiter({ LOGIN_MAX_ATTEMPTS_PER_IP: '3' });
    for (const email of ['a@x', 'b@x', 'c@x']) expect(await refusal(l.admit(email, '9.9.9.9'))).toBeNull();
    expect(await refusal(l.admit('d@x', '9.9.9.9'))).toBe('429 TOO_MANY_LOGIN_ATTEMPTS');
    expect(await refusal(l.admit('d@x', '8.8.8.8'))).toBeNull();
  });
});
