import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { percentiles, type Percentiles } from './scale/latency';
import { startServer, stopServer } from './server';

export interface ConsoleReport {
  samples: number;
  chromium: string;
  /** A fresh browser context (empty cache) navigating to /health/live: the floor of a page load. */
  baseline: Percentiles;
  /** The same, to /console/, until the login form is on screen (script parsed and run). */
  console: Percentiles;
  ratio_p50: number;
  /** Bytes the console's first load transfers (HTML, script, style). */
  transferred_bytes: number;
  target_ms: number;
  pass: boolean;
}

/**
 * How long the web console takes to load from localhost in headless Chromium, against a bare page
 * from the same server in the same run; each sample is a new browser context, so nothing is cached.
 */
export async function consoleBenchmark(options: {
  root: string;
  apiMain: string;
  chromiumPath: string;
  samples: number;
}): Promise<ConsoleReport> {
  if (!existsSync(join(options.root, 'dist/console/assets')))
    execFileSync('npm', ['run', 'build:console'], { cwd: options.root, stdio: 'ignore' });
  const dataDir = mkdtempSync(join(tmpdir(), 'strata-bench-console-'));
  const server = await startServer(options.apiMain, { DATA_DIR: dataDir });
  const browser = await chromium.launch({
    executablePath: options.chromiumPath,
    headless: true,
    args: ['--no-sandbox'],
  });
  try {
    const load = async (path: string, ready: string | null) => {
      const context = await browser.newContext();
      const page = await context.newPage();
      let bytes = 0;
      page.on('response', (response) => {
        bytes += Number(response.headers()['content-length'] ?? 0);
      });
      const started = performance.now();
      await page.goto(`${server.base}${path}`);
      if (ready) await page.locator(ready).waitFor();
      const elapsed = performance.now() - started;
      await context.close();
      return { elapsed, bytes };
    };
    // Warm the server's and the browser's own code paths once each.
    await load('/health/live', null);
    await load('/console/', '#email');
    const baseline: number[] = [];
    const consoleTimes: number[] = [];
    let transferred = 0;
    for (let i = 0; i < options.samples; i++) {
      baseline.push((await load('/health/live', null)).elapsed);
      const sample = await load('/console/', '#email');
      consoleTimes.push(sample.elapsed);
      transferred = sample.bytes;
    }
    const base = percentiles(baseline);
    const measured = percentiles(consoleTimes);
    return {
      samples: options.samples,
      chromium: browser.version(),
      baseline: base,
      console: measured,
      ratio_p50: Math.round((measured.p50_ms / base.p50_ms) * 100) / 100,
      transferred_bytes: transferred,
      target_ms: 1000,
      pass: measured.p95_ms < 1000,
    };
  } finally {
    await browser.close();
    await stopServer(server);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export function consoleTable(report: ConsoleReport): string {
  return [
    `| page load in headless Chromium ${report.chromium}, ${report.samples} cold loads | p50 | p95 |`,
    '|---|---|---|',
    `| /health/live (baseline) | ${report.baseline.p50_ms} ms | ${report.baseline.p95_ms} ms |`,
    `| /console/ until the login form shows | ${report.console.p50_ms} ms | ${report.console.p95_ms} ms |`,
    '',
    `Console / baseline at p50: ${report.ratio_p50}x; ${Math.round(report.transferred_bytes / 1024)} KiB transferred;`,
    `target: p95 under ${report.target_ms} ms from localhost: ${report.pass ? 'PASS' : 'MISS'}.`,
  ].join('\n');
}
