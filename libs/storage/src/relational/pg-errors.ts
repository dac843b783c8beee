/** The SQLSTATE of a PostgreSQL error, whether the driver's own or wrapped by TypeORM. */
function sqlState(error: unknown): string | undefined {
  const e = (error as { driverError?: { code?: string }; code?: string }) ?? {};
  return e.driverError?.code ?? e.code;
}

/** Whether a driver error is PostgreSQL's unique_violation (SQLSTATE 23505). */
export function isUniqueViolation(error: unknown): boolean {
  return sqlState(error) === '23505';
}

/**
 * Whether PostgreSQL aborted the statement for a conflict with a concurrent one (deadlock_detected
 * 40P01, serialization_failure 40001): running it again is the documented remedy.
 */
export function isConcurrencyConflict(error: unknown): boolean {
  const code = sqlState(error);
  return code === '40P01' || code === '40001';
}
