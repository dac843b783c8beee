import { randomUUID } from 'node:crypto';
import { Client, Pool } from 'pg';
import type { AccessChangeListener } from '@strata/tenancy';
import { until } from '../../../../test/support/eventually';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import {
  ACCESS_FEED_APPLICATION_NAME,
  ListeningAccessChangeFeed,
  SharedSessionAccessChangeFeed,
} from './access-change-feed.adapter';
import { applyMigrations } from './apply-migrations';
import { EmbeddedPostgres } from './embedded-postgres';

/** What a subscriber heard, in order; a reset is written `reset`. */
class Recorder implements AccessChangeListener {
  heard: string[] = [];
  changed(tags: readonly string[]): void {
    this.heard.push(...tags);
  }
  reset(): void {
    this.heard.push('reset');
  }
}

interface Rows {
  tenant: string;
  user: string;
  session: string;
  kb: string;
  apiKey: string;
}

async function insertRows(pool: Pool): Promise<Rows> {
  const rows = {
    tenant: randomUUID(),
    user: randomUUID(),
    session: randomUUID(),
    kb: randomUUID(),
    apiKey: randomUUID(),
  };
  const q = (sql: string, params: unknown[]) => pool.query(sql, params);
  await q(`INSERT INTO tenants (id, slug, name) VALUES ($1, $2, 'T')`, [
    rows.tenant,
    `t-${rows.tenant.slice(0, 8)}`,
  ]);
  await q(`INSERT INTO users (id, email, password_hash) VALUES ($1, $2, 'x')`, [
    rows.user,
    `${rows.user}@e.test`,
  ]);
  await q(`INSERT INTO memberships (tenant_id, user_id, role) VALUES ($1, $2, 'editor')`, [
    rows.tenant,
    rows.user,
  ]);
  await q(`INSERT INTO sessions (id, user_id, expires_at) VALUES ($1, $2, now() + interval '1 day')`, [
    rows.session,
    rows.user,
  ]);
  await q(`INSERT INTO knowledge_bases (id, tenant_id, slug, name) VALUES ($1, $2, 'kb-one', 'KB')`, [
    rows.kb,
    rows.tenant,
  ]);
  await q(
    `INSERT INTO api_keys (id, tenant_id, name, prefix, key_hash, role, permissions)
     VALUES ($1, $2, 'k', 'sk_abcde', $3, 'viewer', '{}')`,
    [rows.apiKey, rows.tenant, randomUUID().replace(/-/g, '').padEnd(64, '0')],
  );
  return rows;
}

type Feed = ListeningAccessChangeFeed | SharedSessionAccessChangeFeed;

/** A feed over `pool`'s database, closed with the pool and whatever else holds the database. */
const opened = (pool: Pool, feed: Feed, stop: () => Promise<void>) => ({
  pool,
  feed,
  close: async () => {
    await feed.close();
    await pool.end();
    await stop();
  },
});

/**
 * The feed over each database the way the service runs it: the PostgreSQL server with a
 * listening connection of its own, and embedded PGlite on its thread behind the pool's one
 * connection, which carries the notifications of the statements it runs.
 */
const setups: Array<{
  name: string;
  skip?: string;
  open: () => Promise<ReturnType<typeof opened>>;
}> = [
  {
    name: 'embedded PGlite',
    open: async () => {
      const embedded = await EmbeddedPostgres.start(null);
      const pool = new Pool({ ...embedded.endpoint, user: 'postgres', database: 'postgres', max: 1 });
      await applyMigrations(pool as never);
      return opened(pool, new SharedSessionAccessChangeFeed(pool), () => embedded.stop());
    },
  },
  {
    name: 'the PostgreSQL server',
    skip: process.env.STRATA_PG_UNAVAILABLE,
    open: async () => {
      const database: TestDatabase = await createTestDatabase('postgres');
      const url = (database.config as { url: string }).url;
      const pool = new Pool({ connectionString: url, max: 2 });
      await applyMigrations(pool as never);
      return opened(pool, new ListeningAccessChangeFeed(url), () => database.drop());
    },
  },
];

for (const setup of setups) {
  const suite = setup.skip ? describe.skip : describe;
  suite(`access change feed on ${setup.name}${setup.skip ? ` (skipped: ${setup.skip})` : ''}`, () => {
    let pool: Pool;
    let feed: Feed;
    let close: () => Promise<void>;
    let rows: Rows;
    const recorder = new Recorder();

    /**
     * Runs `work`, then a marker change, and answers what was heard up to the marker:
     * notifications arrive in commit order, so whatever the work notified comes before it.
     */
    async function heardDuring(work: () => Promise<unknown>): Promise<string[]> {
      recorder.heard = [];
      await work();
      const marker = randomUUID();
      await pool.query(`INSERT INTO sessions (id, user_id, expires_at) VALUES ($1, $2, now())`, [
        marker,
        rows.user,
      ]);
      await pool.query(`DELETE FROM sessions WHERE id = $1`, [marker]);
      await until(() => recorder.heard.includes(`session:${marker}`), 5_000);
      return recorder.heard.slice(0, recorder.heard.indexOf(`session:${marker}`));
    }

    const heardFrom = (statement: string, params: unknown[] = []) =>
      heardDuring(() => pool.query(statement, params));

    beforeAll(async () => {
      ({ pool, feed, close } = await setup.open());
      rows = await insertRows(pool);
      feed.subscribe(recorder);
      await until(() => feed.live, 10_000);
    });
    afterAll(() => close());

    it('names the row whose deciding column changed, and stays quiet for the others', async () => {
      expect(
        await heardFrom(`UPDATE sessions SET last_used_at = now() WHERE id = $1`, [rows.session]),
      ).toEqual([]);
      expect(
        await heardFrom(`UPDATE knowledge_bases SET document_count = 3 WHERE id = $1`, [rows.kb]),
      ).toEqual([]);
      expect(
        await heardFrom(`UPDATE api_keys SET last_used_at = now() WHERE id = $1`, [rows.apiKey]),
      ).toEqual([]);
      expect(await heardFrom(`UPDATE tenants SET config = '{"a":1}' WHERE id = $1`, [rows.tenant])).toEqual(
        [],
      );
      expect(await heardFrom(`UPDATE users SET password_hash = 'y' WHERE id = $1`, [rows.user])).toEqual([]);

      expect(await heardFrom(`UPDATE sessions SET revoked_at = now() WHERE id = $1`, [rows.session])).toEqual(
        [`session:${rows.session}`],
      );
      expect(await heardFrom(`UPDATE users SET disabled_at = now() WHERE id = $1`, [rows.user])).toEqual([
        `user:${rows.user}`,
      ]);
      expect(
        await heardFrom(`UPDATE memberships SET role = 'viewer' WHERE tenant_id = $1 AND user_id = $2`, [
          rows.tenant,
          rows.user,
        ]),
      ).toEqual([`user:${rows.user}`]);
      expect(await heardFrom(`UPDATE knowledge_bases SET slug = 'kb-two' WHERE id = $1`, [rows.kb])).toEqual([
        `kb:${rows.kb}`,
      ]);
      expect(await heardFrom(`UPDATE api_keys SET revoked_at = now() WHERE id = $1`, [rows.apiKey])).toEqual([
        `api_key:${rows.apiKey}`,
      ]);
      expect(await heardFrom(`UPDATE tenants SET status = 'suspended' WHERE id = $1`, [rows.tenant])).toEqual(
        [`tenant:${rows.tenant}`],
      );
    });

    it('names nothing for a change rolled back', async () => {
      const rolledBack = async () => {
        // On a connection released as it is (pool.query would close a connection whose query failed).
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          await client.query(`UPDATE users SET disabled_at = NULL WHERE id = $1`, [rows.user]);
          await client.query('ROLLBACK');
        } finally {
          client.release();
        }
      };
      expect(await heardDuring(rolledBack)).toEqual([]);
    });

    it('has heard every change committed before catchUp, and passes none of its markers on', async () => {
      recorder.heard = [];
      // Back to back, as a replica answers a write and then the caller's next request.
      for (let round = 0; round < 20; round++) {
        await pool.query(`UPDATE users SET disabled_at = $2 WHERE id = $1`, [
          rows.user,
          round % 2 === 0 ? new Date() : null,
        ]);
        await feed.catchUp();
        expect(recorder.heard).toHaveLength(round + 1);
      }
      expect(new Set(recorder.heard)).toEqual(new Set([`user:${rows.user}`]));
    });

    it('names every row a delete takes, cascades included', async () => {
      const heard = await heardFrom(`DELETE FROM tenants WHERE id = $1`, [rows.tenant]);
      expect(new Set(heard)).toEqual(
        new Set([`tenant:${rows.tenant}`, `kb:${rows.kb}`, `api_key:${rows.apiKey}`, `user:${rows.user}`]),
      );
    });

    if (setup.name === 'the PostgreSQL server') {
      it('resets its subscribers when its connection is lost, listens again and hears again', async () => {
        rows = await insertRows(pool);
        recorder.heard = [];
        const admin = new Client({
          connectionString: (pool as unknown as { options: { connectionString: string } }).options
            .connectionString,
        });
        await admin.connect();
        try {
          await admin.query(
            `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()`,
            [ACCESS_FEED_APPLICATION_NAME],
          );
        } finally {
          await admin.end();
        }
        await until(() => !feed.live || recorder.heard.includes('reset'), 5_000);
        await until(() => feed.live, 10_000);
        expect(recorder.heard.filter((entry) => entry === 'reset')).toEqual(['reset', 'reset']);
        expect(await heardFrom(`UPDATE users SET disabled_at = now() WHERE id = $1`, [rows.user])).toEqual([
          `user:${rows.user}`,
        ]);
      });
    }
  });
}
