import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lockDataDir } from './data-dir-lock';

describe('lockDataDir', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'strata-lock-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a directory held by another live process', () => {
    writeFileSync(join(dir, 'strata.lock'), String(process.ppid));
    expect(() => lockDataDir(dir)).toThrow(`is in use by process ${process.ppid}`);
    expect(() => lockDataDir(dir, 'one at a time')).toThrow(/stop it first \(one at a time\)$/);
  });

  it('takes over the lock of a process that is gone, and releases it', () => {
    const gone = spawnSync(process.execPath, [
      '-e',
      'process.stdout.write(String(process.pid))',
    ]).stdout.toString();
    writeFileSync(join(dir, 'strata.lock'), gone);
    const release = lockDataDir(dir);
    expect(existsSync(join(dir, 'strata.lock'))).toBe(true);
    release();
    expect(existsSync(join(dir, 'strata.lock'))).toBe(false);
  });
});
