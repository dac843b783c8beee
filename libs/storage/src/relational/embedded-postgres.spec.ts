import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { EmbeddedPostgres } from './embedded-postgres';

async function connect(server: EmbeddedPostgres): Promise<Client> {
  const client = new Client({ host: server.endpoint.host, port: server.endpoint.port, user: 'postgres' });
  await client.connect();
  return client;
}

describe('EmbeddedPostgres', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'strata-embedded-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('executes SQL off the calling thread: the event loop keeps turning during a long statement', async () => {
    const server = await EmbeddedPostgres.start(null);
    const client = await connect(server);
    try {
      const turns: number[] = [];
      const timer = setInterval(() => turns.push(performance.now()), 1);
      const started = performance.now();
      const { rows } = await client.query(
        'SELECT count(*)::int AS n FROM generate_series(1, 3000000) AS g WHERE g % 7 = 0',
      );
      const ended = performance.now();
      clearInterval(timer);
      expect(rows[0].n).toBe(428571);
      // On the calling thread the statement would hold the loop for its whole length: one gap as
      // long as the statement. Compared with the statement's own duration, not a fixed time.
      const marks = [started, ...turns.filter((t) => t > started && t < ended), ended];
      const longestGap = Math.max(...marks.slice(1).map((t, i) => t - marks[i]));
      expect(longestGap).toBeLessThan((ended - started) / 2);
    } finally {
      await client.end();
      await server.stop();
    }
  });

  const linux = process.platform === 'linux';
  (linux ? it : it.skip)(
    'runs its thread a little below the HTTP thread (Linux nice values are per thread)',
    async () => {
      const niceOfThreads = () =>
        readdirSync('/proc/self/task').map((tid) => {
          const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
          // Fields after the command name (which may hold spaces): the 17th of those is nice.
          return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
        });
      const before = niceOfThreads().filter((n) => n === 5).length;
      const server = await EmbeddedPostgres.start(null);
      try {
        expect(niceOfThreads().filter((n) => n === 5).length).toBe(before + 1);
        expect(niceOfThreads()).toContain(0);
      } finally {
        await server.stop();
      }
    },
  );

  it('plans for pages in memory: random reads cost about what sequential ones do', async () => {
    const server = await EmbeddedPostgres.start(null);
    const client = await connect(server);
    try {
      const { rows } = await client.query('SHOW random_page_cost');
      expect(rows[0].random_page_cost).toBe('1.1');
    } finally {
      await client.end();
      await server.stop();
    }
  });

  it('starts WAL segments without zero-filling them, and reopens with what crossed into one', async () => {
    const first = await EmbeddedPostgres.start(dir);
    const writer = await connect(first);
    const { rows } = await writer.query('SHOW wal_init_zero');
    expect(rows[0].wal_init_zero).toBe('off');
    const { rows: start } = await writer.query('SELECT pg_current_wal_lsn() AS lsn');
    // About 25 MB of WAL (random, so TOAST cannot compress it): past a 16 MB segment boundary.
    await writer.query('CREATE TABLE pages (id int, body text)');
    await writer.query(
      `INSERT INTO pages
       SELECT o.n, (SELECT string_agg(md5(random()::text || o.n || i.k), '') FROM generate_series(1, 150) AS i(k))
       FROM generate_series(1, 5000) AS o(n)`,
    );
    const { rows: written } = await writer.query(
      'SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1)::float8 AS bytes',
      [start[0].lsn],
    );
    expect(written[0].bytes).toBeGreaterThan(16 * 1024 * 1024);
    await writer.end();
    await first.stop();

    const second = await EmbeddedPostgres.start(dir);
    const reader = await connect(second);
    try {
      const { rows: kept } = await reader.query(
        'SELECT count(*)::int AS n, max(length(body)) AS len FROM pages',
      );
      expect(kept[0]).toEqual({ n: 5000, len: 4800 });
    } finally {
      await reader.end();
      await second.stop();
    }
  });

  it('keeps what was written when stopped, and reopens with it', async () => {
    const first = await EmbeddedPostgres.start(dir);
    const writer = await connect(first);
    await writer.query('CREATE TABLE notes (body text); INSERT INTO notes VALUES ($$kept$$)');
    await writer.end();
    await first.stop();
    expect(existsSync(first.endpoint.host)).toBe(false);

    const second = await EmbeddedPostgres.start(dir);
    const reader = await connect(second);
    try {
      const { rows } = await reader.query('SELECT body FROM notes');
      expect(rows).toEqual([{ body: 'kept' }]);
    } finally {
      await reader.end();
      await second.stop();
    }
  });

  it('when terminated without closing (a stuck stop), keeps committed data and unlocks the directory', async () => {
    const first = await EmbeddedPostgres.start(dir);
    const writer = await connect(first);
    await writer.query('CREATE TABLE notes (body text); INSERT INTO notes VALUES ($$committed$$)');
    // The client stays connected, as a pool stuck on a connection would.
    writer.on('error', () => undefined);
    await first.terminate();
    expect(existsSync(join(dir, 'strata.lock'))).toBe(false);
    expect(existsSync(first.endpoint.host)).toBe(false);

    const second = await EmbeddedPostgres.start(dir);
    const reader = await connect(second);
    try {
      const { rows } = await reader.query('SELECT body FROM notes');
      expect(rows).toEqual([{ body: 'committed' }]);
    } finally {
      await reader.end();
      await second.stop();
    }
  });

  it('reports why the database thread could not start, and leaves the directory unlocked', async () => {
    writeFileSync(join(dir, 'PG_VERSION'), '7\n');
    await expect(EmbeddedPostgres.start(dir)).rejects.toThrow('the embedded database did not start');
    expect(existsSync(join(dir, 'strata.lock'))).toBe(false);
  });
});
