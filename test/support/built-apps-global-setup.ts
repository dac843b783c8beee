import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './built-app';

/**
 * Builds the api, worker, CLI and console once before the e2e suites when their sources changed
 * since the last build (see apps/build-when-changed.mjs): suites that run a built process then
 * test the code as it is, and no two suites build the same app at once.
 */
export function buildChangedApps(): void {
  execFileSync(
    process.execPath,
    [join(ROOT, 'apps/build-when-changed.mjs'), 'api', 'worker', 'cli', 'console'],
    {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
}

export default function builtAppsGlobalSetup(): void {
  buildChangedApps();
}
