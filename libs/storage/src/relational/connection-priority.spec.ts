import { Pool } from 'pg';
import type { Histogram } from 'prom-client';
import { dbConnectionHold, dbConnectionWait } from '@strata/core';
import { EmbeddedPostgres } from './embedded-postgres';
import {
  ConnectionGate,
  type ConnectionLane,
  currentLane,
  prioritiseRequests,
  runAsBackgroundWork,
} from './connection-priority';

describe('ConnectionGate', () => {
  /** A gate of one connection, taken by a job; `wait` queues a waiter that records its turn and releases. */
  async function busyGate() {
    const gate = new ConnectionGate(1);
    await gate.acquire('job');
    const order: string[] = [];
    const wait = (name: string, lane: ConnectionLane) =>
      gate.acquire(lane).then(() => {
        order.push(name);
        gate.release();
      });
    return { gate, order, wait };
  }

  it('lets waiting requests through before waiting background work, each in arrival order', async () => {
    const { gate, order, wait } = await busyGate();
    const all = [
      wait('job 1', 'job'),
      wait('request 1', 'request'),
      wait('job 2', 'job'),
      wait('request 2', 'request'),
    ];
    expect(gate.queued).toEqual({ request: 2, newcomer: 0, job: 2, graph: 0 });
    gate.release();
    await Promise.all(all);
    expect(order).toEqual(['request 1', 'request 2', 'job 1', 'job 2']);
    expect(gate.queued).toEqual({ request: 0, newcomer: 0, job: 0, graph: 0 });
  });

  it('lets jobs through before graph work, but graph work gets one connection in four while jobs wait', async () => {
    const { gate, order, wait } = await busyGate();
    const all = [
      wait('graph 1', 'graph'),
      wait('graph 2', 'graph'),
      ...[1, 2, 3, 4, 5, 6, 7].map((i) => wait(`job ${i}`, 'job')),
    ];
    gate.release();
    await Promise.all(all);
    expect(order).toEqual([
      'job 1',
      'job 2',
      'job 3',
      'graph 1',
      'job 4',
      'job 5',
      'job 6',
      'graph 2',
      'job 7',
    ]);
  });

  it("lets a newcomer's statements through after requests' and before every job's and graph's", async () => {
    const { gate, order, wait } = await busyGate();
    const all = [
      wait('graph 1', 'graph'),
      wait('job 1', 'job'),
      wait('newcomer 1', 'newcomer'),
      wait('request 1', 'request'),
      wait('job 2', 'job'),
      wait('newcomer 2', 'newcomer'),
    ];
    expect(gate.queued).toEqual({ request: 1, newcomer: 2, job: 2, graph: 1 });
    gate.release();
    await Promise.all(all);
    expect(order).toEqual(['request 1', 'newcomer 1', 'newcomer 2', 'job 1', 'job 2', 'graph 1']);
  });

  it('gives graph work the connection at once when no job waits', async () => {
    const gate = new ConnectionGate(1);
    await gate.acquire('job');
    const graph = gate.acquire('graph');
    gate.release();
    await graph;
    expect(gate.queued).toEqual({ request: 0, newcomer: 0, job: 0, graph: 0 });
  });

  describe('with a follow-up window for requests', () => {
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());

    it("keeps the connection a request released for the request's next statement, ahead of a waiting job", async () => {
      const gate = new ConnectionGate(1, 3);
      await gate.acquire('request');
      let jobGotIt = false;
      const job = gate.acquire('job').then(() => (jobGotIt = true));
      gate.release(true);
      await Promise.resolve();
      expect(jobGotIt).toBe(false);

      await jest.advanceTimersByTimeAsync(2);
      await gate.acquire('request'); // the next statement, within the window: no wait
      expect(jobGotIt).toBe(false);
      gate.release(true);

      await jest.advanceTimersByTimeAsync(3); // no further statement: the job gets it
      await job;
      expect(jobGotIt).toBe(true);
    });

    it('hands the connection on at once when a job released it, or when the window is 0', async () => {
      for (const [followUpMs, byRequest] of [
        [3, false],
        [0, true],
      ] as const) {
        const gate = new ConnectionGate(1, followUpMs);
        await gate.acquire(byRequest ? 'request' : 'job');
        const job = gate.acquire('job');
        gate.release(byRequest);
        await job; // no timer advanced
      }
    });

    it('frees the connection after the window when nobody waits', async () => {
      const gate = new ConnectionGate(1, 3);
      await gate.acquire('request');
      gate.release(true);
      await jest.advanceTimersByTimeAsync(3);
      await gate.acquire('job'); // free again, for anyone
      expect(gate.queued).toEqual({ request: 0, newcomer: 0, job: 0, graph: 0 });
    });
  });

  it('knows background work through every await inside it, and nothing outside it', async () => {
    expect(currentLane()).toBe('request');
    const seen = await runAsBackgroundWork(async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return currentLane();
    });
    expect(seen).toBe('job');
    expect(await runAsBackgroundWork(async () => currentLane(), 'graph')).toBe('graph');
    expect(currentLane()).toBe('request');
  });
});

describe('prioritiseRequests on a pool of one connection to the embedded database', () => {
  let server: EmbeddedPostgres;
  let pool: Pool;
  beforeAll(async () => {
    server = await EmbeddedPostgres.start(null);
    pool = new Pool({ host: server.endpoint.host, port: server.endpoint.port, user: 'postgres', max: 1 });
    prioritiseRequests(pool);
  });
  afterAll(async () => {
    await pool.end();
    await server.stop();
  });

  it('answers a request queued behind a job holding the connection before the jobs queued earlier', async () => {
    const held = await runAsBackgroundWork(() => pool.connect());
    const finished: string[] = [];
    const query = (name: string) =>
      pool.query('SELECT $1::text AS name', [name]).then(({ rows }) => finished.push(rows[0].name));
    const jobs = [1, 2, 3].map((i) => runAsBackgroundWork(() => query(`job ${i}`)));
    const request = query('request');
    held.release();
    await Promise.all([...jobs, request]);
    expect(finished).toEqual(['request', 'job 1', 'job 2', 'job 3']);
  });

  it("times each lane's waits for the connection and how long it held it", async () => {
    const observed = async (metric: Histogram, lane: string, series: '_count' | '_sum') =>
      (await metric.get()).values.find((v) => v.metricName?.endsWith(series) && v.labels.lane === lane)
        ?.value ?? 0;
    const count = (metric: Histogram, lane: string) => observed(metric, lane, '_count');
    const sum = (metric: Histogram, lane: string) => observed(metric, lane, '_sum');
    const before = {
      jobHolds: await count(dbConnectionHold, 'job'),
      jobHeld: await sum(dbConnectionHold, 'job'),
      requestWaits: await count(dbConnectionWait, 'request'),
      requestWaited: await sum(dbConnectionWait, 'request'),
    };
    const held = await runAsBackgroundWork(() => pool.connect());
    const request = pool.query('SELECT 1');
    await new Promise((resolve) => setTimeout(resolve, 50));
    held.release();
    await request;
    expect(await count(dbConnectionHold, 'job')).toBe(before.jobHolds + 1);
    expect((await sum(dbConnectionHold, 'job')) - before.jobHeld).toBeGreaterThanOrEqual(0.045);
    expect(await count(dbConnectionWait, 'request')).toBe(before.requestWaits + 1);
    expect((await sum(dbConnectionWait, 'request')) - before.requestWaited).toBeGreaterThanOrEqual(0.045);
  });

  it('hands the connection on when a client is released through the callback form, or fails to connect', async () => {
    await new Promise<void>((resolve, reject) =>
      (pool.connect as unknown as (cb: (e: Error | undefined, c: unknown, done: () => void) => void) => void)(
        (error, _client, done) => {
          if (error) return reject(error);
          done();
          resolve();
        },
      ),
    );
    const { rows } = await pool.query('SELECT 1 AS one');
    expect(rows).toEqual([{ one: 1 }]);

    const unreachable = new Pool({ host: '/nonexistent-strata-socket-dir', user: 'postgres', max: 1 });
    prioritiseRequests(unreachable);
    await expect(unreachable.query('SELECT 1')).rejects.toThrow();
    await expect(unreachable.query('SELECT 1')).rejects.toThrow(); // the gate was released after the failure
    await unreachable.end();
  });
});
