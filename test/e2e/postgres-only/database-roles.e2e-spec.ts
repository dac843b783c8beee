import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import {
  addMember,
  addTextDocument,
  bearer,
  createKnowledgeBase,
  createTenant,
  loginAdmin,
  waitForDocument,
} from '../../factories';
import { builtApp } from '../../support/built-app';
import { describeE2E, startTestApp } from '../../support/test-app';
import { TEST_DATABASE_URL, type TestDatabase } from '../../support/test-database';

const SECRETS = { JWT_SECRET: 'r'.repeat(40), MASTER_KEY: 'f'.repeat(64) };

/** Runs SQL on the test server as its superuser, in `database` (the server's default when null). */
async function asSuperuser(sql: string, database: string | null = null): Promise<void> {
  const url = new URL(TEST_DATABASE_URL);
  if (database) url.pathname = `/${database}`;
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * The split deployment: `migrate` connects as the schema owner (MIGRATION_DATABASE_URL) and grants
 * the api's role (DATABASE_URL) what it needs, and no more: it cannot alter a table, nor rewrite or
 * unprotect the audit trail.
 */
describeE2E('a schema owner for migrations, a runtime role for the api', () => {
  const suffix = randomBytes(4).toString('hex');
  const owner = `strata_owner_${suffix}`;
  const runtime = `strata_app_${suffix}`;
  const database = `strata_roles_${suffix}`;
  const urlAs = (role: string) => {
    const url = new URL(TEST_DATABASE_URL);
    url.username = role;
    url.pathname = `/${database}`;
    return url.toString();
  };
  const runtimeDatabase: TestDatabase = {
    config: { kind: 'postgres', url: urlAs(runtime), poolSize: 5 },
    drop: async () => undefined,
  };

  beforeAll(async () => {
    await asSuperuser(`CREATE ROLE ${owner} LOGIN; CREATE ROLE ${runtime} LOGIN`);
    await asSuperuser(`CREATE DATABASE ${database} OWNER ${owner}`);
    // Extensions are the server administrator's to install, as on a managed PostgreSQL.
    await asSuperuser('CREATE EXTENSION IF NOT EXISTS vector', database);
  });
  afterAll(async () => {
    await asSuperuser(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await asSuperuser(`DROP ROLE IF EXISTS ${runtime}; DROP ROLE IF EXISTS ${owner}`);
  });

  it('refuses to start the api on a schema its role may not migrate, saying what to run', () => {
    const api = spawnSync(process.execPath, [builtApp('api')], {
      env: {
        PATH: process.env.PATH,
        ...SECRETS,
        DATABASE_URL: urlAs(runtime),
        PORT: '0',
        LOG_LEVEL: 'error',
      },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(api.status).toBe(1);
    expect(api.stdout + api.stderr).toMatch(
      /DATABASE_URL's role may not change it: run `npm run migrate` with MIGRATION_DATABASE_URL/,
    );
  });

  it('migrates as the owner, grants the runtime role, and the api then works as that role', async () => {
    const migrate = spawnSync(process.execPath, [builtApp('cli'), 'migrate'], {
      env: {
        PATH: process.env.PATH,
        ...SECRETS,
        DATABASE_URL: urlAs(runtime),
        MIGRATION_DATABASE_URL: urlAs(owner),
        LOG_LEVEL: 'silent',
      },
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(migrate.stderr).toBe('');
    expect(migrate.status).toBe(0);
    expect(migrate.stdout).toContain(`granted ${runtime} what the api and worker need`);
    expect(migrate.stdout).toMatch(/schema is up to date \(\d+ migrations\)/);

    const t = await startTestApp(SECRETS, runtimeDatabase);
    try {
      const platform = await loginAdmin(t.http);
      const tenant = await createTenant(t.http, platform);
      const admin = (await addMember(t.http, platform, tenant, { role: 'admin' })).token;
      const kb = await createKnowledgeBase(t.http, admin, tenant);
      const id = await addTextDocument(t.http, admin, tenant, kb, 'The runtime role writes vectors too.');
      expect((await waitForDocument(t.http, admin, tenant, kb, id)).status).toBe('processed');
      const answer = await t.http
        .post(`/api/v1/tenants/${tenant.id}/knowledge-bases/${kb.id}/query`)
        .set(bearer(admin))
        .send({ query: 'runtime role vectors', mode: 'naive', only_need_context: true })
        .expect(200);
      expect(answer.body.references.map((r: { document_id: string }) => r.document_id)).toContain(id);
    } finally {
      await t.close();
    }
  }, 180_000);

  it('leaves the runtime role unable to alter tables or rewrite the audit trail', async () => {
    const client = new Client({ connectionString: urlAs(runtime) });
    await client.connect();
    const refusal = (sql: string) =>
      client.query(sql).then(
        () => 'done',
        (error: Error) => error.message,
      );
    try {
      expect(await refusal('ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update_delete')).toMatch(
        /must be owner/,
      );
      expect(await refusal(`UPDATE audit_events SET details = '{}'`)).toMatch(/permission denied/);
      expect(await refusal('DELETE FROM audit_events')).toMatch(/permission denied/);
      expect(await refusal('TRUNCATE audit_events')).toMatch(/permission denied/);
      expect(await refusal('DELETE FROM schema_migrations')).toMatch(/permission denied/);
      expect(await refusal('CREATE TABLE intruder (id int)')).toMatch(/permission denied/);
      expect(await refusal('ALTER TABLE strata_vectors ADD COLUMN intruder int')).toMatch(/must be owner/);
      expect(await refusal('SELECT count(*) FROM audit_events')).toBe('done');
    } finally {
      await client.end();
    }
  });
});
