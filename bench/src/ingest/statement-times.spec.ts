import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { topStatements } from './statement-times';

describe('the embedded database statement times', () => {
  it('answers the heaviest statements first, and none before the file exists', () => {
    const dir = mkdtempSync(join(tmpdir(), 'statement-times-'));
    const file = join(dir, 'statements.json');
    expect(topStatements(file, 2)).toEqual([]);
    writeFileSync(
      file,
      JSON.stringify([
        { statement: 'SELECT 1', ms: 5, messages: 3, executions: 1 },
        { statement: 'INSERT INTO chunks', ms: 90, messages: 30, executions: 10 },
        { statement: 'COMMIT', ms: 20, messages: 4, executions: 4 },
      ]),
    );
    expect(topStatements(file, 2)).toEqual([
      { statement: 'INSERT INTO chunks', ms: 90, executions: 10 },
      { statement: 'COMMIT', ms: 20, executions: 4 },
    ]);
    rmSync(dir, { recursive: true, force: true });
  });
});
