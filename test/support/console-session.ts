import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { MEMBER_PASSWORD } from '../factories';
import { ARTIFACTS } from './browser';

/**
 * What the console's browser suites do again and again: sign in at a width, keep a screenshot,
 * and find form controls without a label. `browser` and `base` are read when called (suites set
 * them in beforeAll).
 */
export function consoleSession(
  browser: () => Browser,
  base: () => string,
  timings: Record<string, number> = {},
) {
  const signIn = async (email: string, width = 1280, password = MEMBER_PASSWORD): Promise<Page> => {
    const page = await (await browser().newContext({ viewport: { width, height: 900 } })).newPage();
    await page.goto(`${base()}/console/`);
    // Browser-side code is passed as text: this file is compiled without the DOM typings.
    const loaded = await page.evaluate(
      "(() => { const n = performance.getEntriesByType('navigation')[0]; return n.loadEventEnd - n.startTime; })()",
    );
    timings[`load ${email} @${width}px (ms)`] = Math.round(Number(loaded));
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('header.topbar').waitFor();
    return page;
  };
  const shot = (page: Page, name: string) =>
    page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
  const unlabelledControls = (page: Page) =>
    page.evaluate(
      "[...document.querySelectorAll('input, select, textarea')].filter((el) => el.labels.length === 0 && !el.getAttribute('aria-label')).map((el) => el.outerHTML)",
    );
  return { signIn, shot, unlabelledControls };
}
