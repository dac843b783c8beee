import { existsSync, readFileSync } from 'node:fs';

/** The embedded database's time on one statement (EMBEDDED_STATEMENT_STATS_FILE). */
export interface StatementTime {
  statement: string;
  ms: number;
  executions: number;
}

/** Every statement's totals in an EMBEDDED_STATEMENT_STATS_FILE; none when it is not there yet. */
export function statementTimes(file: string): StatementTime[] {
  if (!existsSync(file)) return [];
  const rows = JSON.parse(readFileSync(file, 'utf8')) as StatementTime[];
  return rows.map(({ statement, ms, executions }) => ({ statement, ms, executions }));
}

/** The `count` statements of most time in an EMBEDDED_STATEMENT_STATS_FILE; none when it is not there yet. */
export function topStatements(file: string, count: number): StatementTime[] {
  return statementTimes(file)
    .sort((a, b) => b.ms - a.ms)
    .slice(0, count);
}

/** Waits until the server has refreshed the file (it does every 2 s) with what came before. */
export const nextRefresh = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 2500));
