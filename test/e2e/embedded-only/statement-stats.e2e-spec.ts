import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTenant, loginAdmin } from '../../factories';
import { startTestApp } from '../../support/test-app';

/** EMBEDDED_STATEMENT_STATS_FILE: the embedded database reports its time per statement. */
describe('embedded statement statistics', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'strata-statements-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the time and executions per statement by the time the database stops', async () => {
    const file = join(dir, 'statements.json');
    const t = await startTestApp({ EMBEDDED_STATEMENT_STATS_FILE: file });
    const platform = await loginAdmin(t.http);
    for (let i = 0; i < 3; i++) await createTenant(t.http, platform);
    await t.close();

    const rows: Array<{ statement: string; ms: number; messages: number; executions: number }> = JSON.parse(
      readFileSync(file, 'utf8'),
    );
    const inserts = rows.find((r) => /^INSERT INTO "tenants"/.test(r.statement));
    expect(inserts).toBeDefined();
    expect(inserts!.executions).toBeGreaterThanOrEqual(3);
    expect(inserts!.ms).toBeGreaterThanOrEqual(0);
    expect(rows.every((r) => !/\s{2,}|\n/.test(r.statement) && r.statement.length <= 120)).toBe(true);
    // Heaviest first.
    expect(rows.map((r) => r.ms)).toEqual([...rows.map((r) => r.ms)].sort((a, b) => b - a));
  });

  it('refuses to start, saying why, when the file cannot be written', async () => {
    const file = join(dir, 'missing-folder', 'statements.json');
    await expect(startTestApp({ EMBEDDED_STATEMENT_STATS_FILE: file })).rejects.toThrow(
      `EMBEDDED_STATEMENT_STATS_FILE ${file} cannot be written`,
    );
  });
});
