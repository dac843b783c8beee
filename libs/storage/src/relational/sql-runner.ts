/**
 * Runs one SQL statement, in whatever transaction the caller is in: a TypeORM EntityManager,
 * DataSource or QueryRunner, or a bare SqlClient. For code that only writes, or reads its rows
 * itself.
 */
export interface SqlRunner {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}
