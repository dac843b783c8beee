import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { longestStatements, topStatements } from './statement-times';

describe('the embedded database statement times', () => {
  it('answers the heaviest statements first, and none before the file exists', () => {
    const dir = mkdtempSync(join(tmpdir(), 'statement-times-'));
    const file = join(dir, 'statements.json');
    expect(topStatements(file, 2)).toEqual([]);
    writeFileSync(
      file,
      JSON.stringify([
        { statement: 'SELECT 1', ms: 5, messages: 3, executions: 1, longestMs: 5, longExecutions: 0 },
        {
          statement: 'INSERT INTO chunks',
          ms: 90,
          messages: 30,
          executions: 10,
          longestMs: 31,
          longExecutions: 1,
        },
        { statement: 'COMMIT', ms: 20, messages: 4, executions: 4 },
        { statement: 'ANALYZE x', ms: 120, messages: 2, executions: 2, longestMs: 70, longExecutions: 2 },
      ]),
    );
    expect(topStatements(file, 2)).toEqual([
      { statement: 'ANALYZE x', ms: 120, executions: 2, longestMs: 70, longExecutions: 2 },
      { statement: 'INSERT INTO chunks', ms: 90, executions: 10, longestMs: 31, longExecutions: 1 },
    ]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers the statements with most executions over 30 ms, files without those counts as none', () => {
    const dir = mkdtempSync(join(tmpdir(), 'statement-times-'));
    const file = join(dir, 'statements.json');
    writeFileSync(
      file,
      JSON.stringify([
        { statement: 'SELECT 1', ms: 5, messages: 3, executions: 1, longestMs: 5, longExecutions: 0 },
        {
          statement: 'INSERT INTO chunks',
          ms: 90,
          messages: 30,
          executions: 10,
          longestMs: 31,
          longExecutions: 2,
        },
        { statement: 'COMMIT', ms: 20, messages: 4, executions: 4 },
        { statement: 'ANALYZE x', ms: 120, messages: 2, executions: 2, longestMs: 70, longExecutions: 2 },
      ]),
    );
    expect(longestStatements(file, 5).map((t) => t.statement)).toEqual(['ANALYZE x', 'INSERT INTO chunks']);
    expect(longestStatements(file, 1)).toEqual([
      { statement: 'ANALYZE x', ms: 120, executions: 2, longestMs: 70, longExecutions: 2 },
    ]);
    rmSync(dir, { recursive: true, force: true });
  });
});
