import { ErrorCode } from '@strata/core';
import { MAX_THROTTLED_TENANTS, ThrottledTenants } from './throttled-tenants';

const rpm = (retryAfterMs: number) => ({
  code: ErrorCode.QUOTA_REQUESTS_PER_MINUTE_EXCEEDED,
  message: 'requests',
  queriesOnly: false,
  retryAfterMs,
});
const qpm = (retryAfterMs: number) => ({
  code: ErrorCode.QUOTA_QUERIES_PER_MINUTE_EXCEEDED,
  message: 'queries',
  queriesOnly: true,
  retryAfterMs,
});

describe('ThrottledTenants', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => jest.useRealTimers());

  it('refuses every route of a tenant over requests_per_minute until its window resets', () => {
    const throttled = new ThrottledTenants();
    throttled.mark('t1', rpm(30_000));
    expect(throttled.find('t1', false)).toMatchObject({
      code: 'QUOTA_REQUESTS_PER_MINUTE_EXCEEDED',
      retryAfterMs: 30_000,
    });
    expect(throttled.find('t1', true)).not.toBeNull();
    expect(throttled.find('t2', false)).toBeNull();
    jest.advanceTimersByTime(29_000);
    expect(throttled.find('t1', false)?.retryAfterMs).toBe(1_000);
    jest.advanceTimersByTime(1_000);
    expect(throttled.find('t1', false)).toBeNull();
    expect(throttled.size).toBe(0);
  });

  it('refuses only query routes of a tenant over queries_per_minute', () => {
    const throttled = new ThrottledTenants();
    throttled.mark('t1', qpm(10_000));
    expect(throttled.find('t1', false)).toBeNull();
    expect(throttled.find('t1', true)).toMatchObject({ code: 'QUOTA_QUERIES_PER_MINUTE_EXCEEDED' });
  });

  it('keeps a requests throttle when a queries throttle comes while it holds', () => {
    const throttled = new ThrottledTenants();
    throttled.mark('t1', rpm(20_000));
    throttled.mark('t1', qpm(50_000));
    expect(throttled.find('t1', false)).toMatchObject({ code: 'QUOTA_REQUESTS_PER_MINUTE_EXCEEDED' });
    jest.advanceTimersByTime(20_000);
    throttled.mark('t1', qpm(10_000));
    expect(throttled.find('t1', false)).toBeNull();
    expect(throttled.find('t1', true)).not.toBeNull();
  });

  it('forgets a tenant on request', () => {
    const throttled = new ThrottledTenants();
    throttled.mark('t1', rpm(30_000));
    throttled.forget('t1');
    expect(throttled.find('t1', false)).toBeNull();
  });

  it(`remembers at most ${MAX_THROTTLED_TENANTS} tenants, forgetting the oldest first`, () => {
    const throttled = new ThrottledTenants();
    for (let i = 0; i <= MAX_THROTTLED_TENANTS; i++) throttled.mark(`t${i}`, rpm(60_000));
    expect(throttled.size).toBe(MAX_THROTTLED_TENANTS);
    expect(throttled.find('t0', false)).toBeNull();
    expect(throttled.find('t1', false)).not.toBeNull();
    expect(throttled.find(`t${MAX_THROTTLED_TENANTS}`, false)).not.toBeNull();
  });
});
