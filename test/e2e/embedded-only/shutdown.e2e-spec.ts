import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { onShutdownStepAbandoned } from '@strata/core';
import { EmbeddedPostgres } from '@strata/storage';
import { bearer, createTenant, loginAdmin } from '../../factories';
import { startTestApp } from '../../support/test-app';

/** What one query answers on the embedded database in `dir`, with no app running. */
async function queryStopped(dir: string, sql: string): Promise<unknown[]> {
  const server = await EmbeddedPostgres.start(dir);
  const client = new Client({ host: server.endpoint.host, port: server.endpoint.port, user: 'postgres' });
  try {
    await client.connect();
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
    await server.stop();
  }
}

/** The in-process queue runs a job as soon as it is queued, so a close can catch one running. */
describe('embedded shutdown', () => {
  let dataDir: string;
  beforeAll(() => (dataDir = mkdtempSync(join(tmpdir(), 'strata-shutdown-'))));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('lets running jobs finish before the database closes', async () => {
    const database = {
      config: { kind: 'embedded' as const, dataDir },
      drop: async () => undefined,
    };
    const app = await startTestApp({}, database);
    const abandoned: string[] = [];
    try {
      const platform = await loginAdmin(app.http);
      const tenant = await createTenant(app.http, platform);
      // The delete queues the purge of what the tenant left outside its rows; it is running now.
      await app.http.delete(`/api/v1/tenants/${tenant.id}`).set(bearer(platform)).expect(204);
    } finally {
      const stop = onShutdownStepAbandoned((what) => abandoned.push(what));
      await app.close();
      stop();
    }
    expect(abandoned).toEqual([]);
    // A purge cut off by the closing database would have left its row for the next start. The
    // database lives in DATA_DIR/pg.
    expect(await queryStopped(join(dataDir, 'pg'), 'SELECT id FROM purge_jobs')).toEqual([]);
  });
});
