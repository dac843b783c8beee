import { existsSync, readFileSync } from 'node:fs';

/** The embedded database's time on one statement (EMBEDDED_STATEMENT_STATS_FILE). */
export interface StatementTime {
  statement: string;
  ms: number;
  executions: number;
  /** The longest execution's ms, and how many executions took over 30 ms. */
  longestMs: number;
  longExecutions: number;
}

/** Every statement's totals in an EMBEDDED_STATEMENT_STATS_FILE; none when it is not there yet. */
export function statementTimes(file: string): StatementTime[] {
  if (!existsSync(file)) return [];
  const rows = JSON.parse(readFileSync(file, 'utf8')) as StatementTime[];
  return rows.map(({ statement, ms, executions, longestMs, longExecutions }) => ({
    statement,
    ms,
    executions,
    longestMs: longestMs ?? 0,
    longExecutions: longExecutions ?? 0,
  }));
}

/** The `count` statements of most time in an EMBEDDED_STATEMENT_STATS_FILE; none when it is not there yet. */
export function topStatements(file: string, count: number): StatementTime[] {
  return statementTimes(file)
    .sort((a, b) => b.ms - a.ms)
    .slice(0, count);
}

/**
 * The `count` statements with most executions over 30 ms (with one connection, a request that
 * arrives during one waits for the rest of it), most first; none when the file is not there yet.
 */
export function longestStatements(file: string, count: number): StatementTime[] {
  return statementTimes(file)
    .filter((t) => t.longExecutions > 0)
    .sort((a, b) => b.longExecutions - a.longExecutions || b.longestMs - a.longestMs)
    .slice(0, count);
}

/** Waits until the server has refreshed the file (it does every 2 s) with what came before. */
export const nextRefresh = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 2500));
