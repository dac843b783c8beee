import { isConcurrencyConflict, isUniqueViolation } from './pg-errors';

describe('PostgreSQL error classes', () => {
  const wrapped = (code: string) => ({ message: 'query failed', driverError: { code } });
  const raw = (code: string) => Object.assign(new Error('query failed'), { code });

  it('tells a deadlock or serialization failure, raw or wrapped by TypeORM, from other errors', () => {
    expect(isConcurrencyConflict(raw('40P01'))).toBe(true);
    expect(isConcurrencyConflict(wrapped('40001'))).toBe(true);
    expect(isConcurrencyConflict(raw('23505'))).toBe(false);
    expect(isConcurrencyConflict(new Error('deadlock detected'))).toBe(false);
    expect(isConcurrencyConflict(undefined)).toBe(false);
  });

  it('tells a unique violation', () => {
    expect(isUniqueViolation(wrapped('23505'))).toBe(true);
    expect(isUniqueViolation(raw('23505'))).toBe(true);
    expect(isUniqueViolation(raw('40P01'))).toBe(false);
  });
});
