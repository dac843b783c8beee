/** The little a SQL-backed adapter needs: parameterised queries returning rows. */
export interface SqlClient {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
  /**
   * Whether a Buffer parameter reaches the server in binary (the `pg` driver over the wire
   * protocol does; PGlite's own query API does not), so vectors can skip text parsing.
   */
  readonly binaryParams?: boolean;
}
