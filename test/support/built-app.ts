import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '../..');

/**
 * The path of a built app's entry point. The e2e projects' global setups build every app whose
 * sources changed (built-apps-global-setup.ts), so it is current.
 */
export function builtApp(app: 'api' | 'cli' | 'worker'): string {
  return join(ROOT, `dist/apps/${app}/main.js`);
}

/** The built console (dist/console), current as builtApp's apps are. */
export function builtConsole(): string {
  return join(ROOT, 'dist/console');
}
