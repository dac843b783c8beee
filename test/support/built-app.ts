import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '../..');

/** The path of a built app's entry point, building the app first when it (or its CPU worker entry) is missing. */
export function builtApp(app: 'api' | 'cli' | 'worker'): string {
  const main = join(ROOT, `dist/apps/${app}/main.js`);
  const worker = join(ROOT, `dist/apps/${app}/cpu-worker.js`);
  if (!existsSync(main) || !existsSync(worker))
    execFileSync('npx', ['nest', 'build', app], { cwd: ROOT, stdio: 'ignore' });
  return main;
}

/** The built console (dist/console), building it first when it is missing. */
export function builtConsole(): string {
  const dir = join(ROOT, 'dist/console');
  if (!existsSync(join(dir, 'index.html')))
    execFileSync('npm', ['run', 'build:console'], { cwd: ROOT, stdio: 'ignore' });
  return dir;
}
