import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { ROOT } from './built-app';

/** Debian's Chromium (`apt-get install chromium`); CHROMIUM_PATH points elsewhere. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Screenshots the browser suites keep (git-ignored; CI can collect them). */
export const ARTIFACTS = join(ROOT, 'test/artifacts/console');

/**
 * `describe` for browser suites: without Chromium they are skipped with the reason in their name
 * and on stdout; under CI=true a missing Chromium fails the run (.ci/run installs it).
 */
export function describeWithBrowser(name: string, body: () => void): void {
  if (existsSync(CHROMIUM_PATH)) {
    describe(name, body);
    return;
  }
  const reason = `no Chromium at ${CHROMIUM_PATH} (apt-get install chromium, or set CHROMIUM_PATH)`;
  if (process.env.CI) {
    describe(name, () => {
      it('needs Chromium', () => {
        throw new Error(`${reason}; CI runs the browser suites`);
      });
    });
    return;
  }
  process.stdout.write(`\nSKIPPING ${name}: ${reason}\n`);
  describe.skip(`${name} (skipped: ${reason})`, body);
}

/** Headless Chromium; no sandbox, since CI runs as root. */
export function launchChromium(): Promise<Browser> {
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ['--no-sandbox'] });
}
