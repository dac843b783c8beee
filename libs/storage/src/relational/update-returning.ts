/**
 * Runs an UPDATE or DELETE … RETURNING and gives back its rows. TypeORM's postgres driver answers
 * such statements with `[rows, affectedCount]` instead of the rows alone; this hides that.
 */
export async function updateReturning<T>(
  executor: { query(sql: string, params?: unknown[]): Promise<unknown> },
  sql: string,
  params: unknown[],
): Promise<T[]> {
  const result: unknown = await executor.query(sql, params);
  if (
    Array.isArray(result) &&
    result.length === 2 &&
    Array.isArray(result[0]) &&
    typeof result[1] === 'number'
  ) {
    return result[0] as T[];
  }
  return result as T[];
}
