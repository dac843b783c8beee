import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../support/built-app';

const script = join(ROOT, 'apps/build-when-changed.mjs');
const run = (...args: string[]) =>
  spawnSync(process.execPath, [script, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });

/** `npm start` and `npm run cli` build only what changed since the last build (the global setup built all). */
describe('building only what changed', () => {
  it('builds nothing when the sources are as they were built', () => {
    const again = run('api', 'cli', 'console');
    expect({ status: again.status, stderr: again.stderr }).toEqual({ status: 0, stderr: '' });
    expect(run('--check', 'api', 'worker', 'cli', 'console').status).toBe(0);
  });

  it('sees a changed source file, and only for the apps built from it', () => {
    const source = join(ROOT, 'apps/cli/src/main.ts');
    const original = readFileSync(source, 'utf8');
    try {
      writeFileSync(source, `${original}// changed\n`);
      const check = run('--check', 'api', 'cli', 'console');
      expect({ status: check.status, stdout: check.stdout.trim() }).toEqual({
        status: 1,
        stdout: 'stale: cli',
      });
    } finally {
      writeFileSync(source, original);
    }
    // As it was built again: nothing to do (a touch alone changes nothing either).
    expect(run('--check', 'cli').status).toBe(0);
  });

  it('refuses an unknown target with a usage line', () => {
    const wrong = run('everything');
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toMatch(
      /^usage: build-when-changed.mjs \[--check\] api\|worker\|cli\|bench\|console/,
    );
  });
});
