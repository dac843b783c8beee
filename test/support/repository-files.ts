import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The repository's root, which the paths below are relative to. */
export const REPOSITORY_ROOT = join(__dirname, '../..');

/**
 * The files under the repository's folder `dir` (relative paths, node_modules left out) whose
 * name `keep` accepts: what the checks of the repository's structure read.
 */
export function filesUnder(dir: string, keep: (name: string) => boolean): string[] {
  return readdirSync(join(REPOSITORY_ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : filesUnder(path, keep);
    return keep(entry.name) ? [path] : [];
  });
}
