import { existsSync, readFileSync } from 'node:fs';

/** The embedded database's time on one statement (EMBEDDED_STATEMENT_STATS_FILE). */
export interface StatementTime {
  statement: string;
  ms: number;
  executions: number;
}

/** The `count` statements of most time in an EMBEDDED_STATEMENT_STATS_FILE; none when it is not there yet. */
export function topStatements(file: string, count: number): StatementTime[] {
  if (!existsSync(file)) return [];
  const rows = JSON.parse(readFileSync(file, 'utf8')) as StatementTime[];
  return [...rows]
    .sort((a, b) => b.ms - a.ms)
    .slice(0, count)
    .map(({ statement, ms, executions }) => ({ statement, ms, executions }));
}
