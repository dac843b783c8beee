import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtApp } from '../../support/built-app';
import { jsonApi } from '../../support/json-api';
import { freePort, RunningProcess, startProcess, stopProcess } from '../../support/processes';

const ADMIN = { email: 'backup@strata.test', password: 'backup-admin-password' };

/** `cli backup` and `cli restore` of an embedded DATA_DIR, around the built API. */
describe('backup and restore of the embedded mode', () => {
  let work: string;
  let server: RunningProcess | null = null;
  let base = '';

  const start = async (dataDir: string) => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}/api/v1`;
    server = await startProcess(
      builtApp('api'),
      { DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...adminEnv },
      'Strata API listening',
      60_000,
    );
  };
  const adminEnv = { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password };
  const cli = (dataDir: string, ...args: string[]) =>
    spawnSync(process.execPath, [builtApp('cli'), ...args], {
      env: { PATH: process.env.PATH, DATA_DIR: dataDir },
      encoding: 'utf8',
      timeout: 120_000,
    });
  const call = jsonApi(() => base);

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'strata-backup-'));
  });
  afterAll(async () => {
    if (server) await stopProcess(server, 'SIGKILL');
    rmSync(work, { recursive: true, force: true });
  });

  it('restores tenants, documents, search and sessions into a new DATA_DIR', async () => {
    const original = join(work, 'original');
    await start(original);
    const platform = (await call('POST', '/auth/login', undefined, ADMIN)).access_token;
    const tenant = await call('POST', '/tenants', platform, { slug: 'backed-up', name: 'Backed up' });
    const member = { email: 'member@backup.test', password: 'backup-member-password' };
    await call('POST', `/tenants/${tenant.id}/members`, platform, { ...member, role: 'admin' });
    const token = (await call('POST', '/auth/login', undefined, { ...member, tenant_id: tenant.id }))
      .access_token;
    const kb = await call('POST', `/tenants/${tenant.id}/knowledge-bases`, token, { name: 'Notes' });
    const path = `/tenants/${tenant.id}/knowledge-bases/${kb.id}`;
    const accepted = await call('POST', `${path}/documents`, token, {
      title: 'harbour',
      text: 'The harbour master of Bergen is Ingrid Larsen.',
    });
    const documentId = accepted.documents[0].id;
    for (
      let i = 0;
      (await call('GET', `${path}/documents/${documentId}`, token)).status !== 'processed';
      i++
    ) {
      if (i > 300) throw new Error('the document was not processed');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    const archive = join(work, 'strata.tar.gz');
    const refused = cli(original, 'backup', '--to', archive);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toMatch(/in use by process \d+; stop it first/);

    await stopProcess(server!, 'SIGTERM');
    server = null;
    const backup = cli(original, 'backup', '--to', archive);
    expect(backup.stderr).toBe('');
    expect(backup.status).toBe(0);
    // It holds the secrets: its owner's alone.
    expect(statSync(archive).mode & 0o777).toBe(0o600);
    expect(cli(original, 'backup', '--to', archive).stderr).toMatch(/exists; choose a new file/);
    const nowhere = cli(original, 'backup', '--to', join(work, 'missing', 'strata.tar.gz'));
    expect({ status: nowhere.status, stderr: nowhere.stderr.trim() }).toEqual({
      status: 2,
      stderr: `${join(work, 'missing')} does not exist; create it first`,
    });

    const restored = join(work, 'restored');
    expect(cli(restored, 'restore', '--from', archive).status).toBe(0);
    expect(cli(restored, 'restore', '--from', archive).stderr).toMatch(/is not empty/);
    const garbage = join(work, 'garbage.tar.gz');
    writeFileSync(garbage, 'not a tar file');
    const refusedGarbage = cli(join(work, 'other'), 'restore', '--from', garbage);
    expect(refusedGarbage.status).toBe(2);
    expect(refusedGarbage.stderr).toMatch(/is not a readable backup|holds no Strata database/);

    rmSync(original, { recursive: true, force: true });
    await start(restored);
    // The token from before the backup still works: the JWT secret is part of DATA_DIR.
    expect((await call('GET', `${path}/documents/${documentId}`, token)).status).toBe('processed');
    const answer = await call('POST', `${path}/query`, token, {
      query: 'Who is the harbour master of Bergen?',
      mode: 'naive',
    });
    expect(answer.references.map((r: { document_id: string }) => r.document_id)).toContain(documentId);
  }, 180_000);
});
