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

  it('limits attempts per IP whatever the account', async () => {
    const l = limiter({ LOGIN_MAX_ATTEMPTS_PER_IP: '3' });
    for (const email of ['a@x', 'b@x', 'c@x']) expect(await refusal(l.admit(email, '9.9.9.9'))).toBeNull();
    expect(await refusal(l.admit('d@x', '9.9.9.9'))).toBe('429 TOO_MANY_LOGIN_ATTEMPTS');
    expect(await refusal(l.admit('d@x', '8.8.8.8'))).toBeNull();
  });
});
