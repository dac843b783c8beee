import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { ROOT } from './built-app';
import { describeIfPresent } from './requirements';

/** Debian's Chromium (`apt-get install chromium`); CHROMIUM_PATH points elsewhere. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Screenshots the browser suites keep (git-ignored; CI can collect them). */
export const ARTIFACTS = join(ROOT, 'test/artifacts/console');

/** `describe` for browser suites: without Chromium they say why they skip (and fail under CI). */
export function describeWithBrowser(name: string, body: () => void): void {
  const missing = existsSync(CHROMIUM_PATH)
    ? null
    : `no Chromium at ${CHROMIUM_PATH} (apt-get install chromium, or set CHROMIUM_PATH)`;
  describeIfPresent(name, missing, body);
}

/** Headless Chromium; no sandbox, since CI runs as root. */
export function launchChromium(): Promise<Browser> {
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ['--no-sandbox'] });
}
