import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtApp } from '../../support/built-app';
import { freePort, RunningProcess, startProcess, stopProcess } from '../../support/processes';
import { describeIfPresent } from '../../support/requirements';

const ROOT = join(__dirname, '../../..');

/** The bash block under the README's "API tour" heading, exactly as a reader copies it. */
export function tourScript(readme: string): string {
  const section = readme.slice(readme.indexOf('## API tour'));
  const block = /```bash\n([\s\S]*?)```/.exec(section);
  if (block === null) throw new Error('the README has no bash block under "## API tour"');
  return block[1];
}

interface TourRun {
  code: number | null;
  output: string;
}

/**
 * Runs the tour in bash with `set -euo pipefail`, and `curl` failing on any HTTP error status
 * (`--fail-with-body`: the reader sees the error body, the run stops at that step). The only input
 * is the admin password, typed at the tour's prompt.
 */
async function runTour(script: string, apiUrl: string, password: string, workDir: string): Promise<TourRun> {
  const shims = join(workDir, 'bin');
  mkdirSync(shims);
  const curl = spawnSync('sh', ['-c', 'command -v curl'], { encoding: 'utf8' }).stdout.trim();
  writeFileSync(join(shims, 'curl'), `#!/bin/sh\nexec ${curl} --fail-with-body --show-error "$@"\n`);
  chmodSync(join(shims, 'curl'), 0o755);
  const file = join(workDir, 'tour.sh');
  writeFileSync(
    file,
    'set -Eeuo pipefail\n' +
      'trap \'echo "tour failed at line $((LINENO - 2)): $BASH_COMMAND" >&2\' ERR\n' +
      script,
  );
  const child = spawn('bash', [file], {
    cwd: workDir,
    env: { PATH: `${shims}:${process.env.PATH ?? ''}`, STRATA_URL: apiUrl, HOME: workDir },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  child.stdin.end(`${password}\n`);
  const timer = setTimeout(() => child.kill('SIGKILL'), 150_000);
  const code = await new Promise<number | null>((done) => child.once('exit', done));
  clearTimeout(timer);
  return { code, output };
}

const missingPrograms = (): string | null => {
  const absent = ['bash', 'curl', 'jq'].filter(
    (program) => spawnSync('sh', ['-c', `command -v ${program}`]).status !== 0,
  );
  return absent.length === 0
    ? null
    : `the tour needs ${absent.join(', ')} (apt-get install ${absent.join(' ')})`;
};

// Embedded-only: it is the first five minutes of a new user, on the default `npm start`.
describeIfPresent('the README API tour, run as written against a fresh server', missingPrograms(), () => {
  let workDir: string;
  let server: RunningProcess;
  let apiUrl: string;

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'strata-tour-'));
    // The uploads name examples/tour/…, relative to the repository's root.
    symlinkSync(join(ROOT, 'examples'), join(workDir, 'examples'));
    const port = await freePort();
    apiUrl = `http://127.0.0.1:${port}`;
    server = await startProcess(
      builtApp('api'),
      { DATA_DIR: join(workDir, 'data'), PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
      'Strata API listening',
    );
  }, 120_000);

  afterAll(async () => {
    if (server) await stopProcess(server);
    rmSync(workDir, { recursive: true, force: true });
  });

  it('passes every step, with the password the first start printed', async () => {
    const password = /password: (\S+)/.exec(server.output())?.[1];
    expect(password).toBeDefined();

    const tour = await runTour(
      tourScript(readFileSync(join(ROOT, 'README.md'), 'utf8')),
      apiUrl,
      password!,
      workDir,
    );

    if (tour.code !== 0)
      throw new Error(`the tour stopped (exit ${tour.code}):\n${tour.output.slice(-4000)}`);
    // Step 10 answers from the uploaded PDF, with its reference.
    expect(tour.output).toMatch(/"answer":"[^"]*90 days written notice/);
    expect(tour.output).toMatch(/"object":"chat.completion".*"content":"[^"]*90 days written notice/);
    expect(tour.output).toContain('"title":"msa-2024.pdf"');
    // Step 9 found no failed document; step 7 wrote the audit trail to a file.
    expect(tour.output).toContain('{"items":[],"next_cursor":null}');
    expect(statSync(join(workDir, 'acme-audit.ndjson')).size).toBeGreaterThan(0);
  }, 180_000);

  it('reads its sample uploads from the repository', () => {
    const script = tourScript(readFileSync(join(ROOT, 'README.md'), 'utf8'));
    const uploads = [...script.matchAll(/files=@(\S+)/g)].map((m) => m[1]);
    expect(uploads).toEqual(['examples/tour/msa-2024.pdf', 'examples/tour/pricing.docx']);
    for (const upload of uploads) expect(statSync(join(ROOT, upload)).size).toBeGreaterThan(0);
  });
});
