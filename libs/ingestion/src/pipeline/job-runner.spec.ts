import type { DataSource } from 'typeorm';
import type { AppConfig } from '@strata/core';
import type { JobQueue } from '@strata/storage';
import { JobRunner } from './job-runner';

/** A JobRunner whose reads of the database are sweeps the test finishes one by one. */
function runnerWithControlledSweeps() {
  const runner = new JobRunner(
    false,
    { ingestion: { leaseSeconds: 60 }, shutdownTimeoutMs: 1000 } as AppConfig,
    {} as DataSource,
    {} as JobQueue,
    ...([null, null, null, null] as unknown as [never, never, never, never]),
  );
  const sweeps: Array<(queued: number) => void> = [];
  jest
    .spyOn(runner as unknown as { findUnfinished: () => Promise<number> }, 'findUnfinished')
    .mockImplementation(() => new Promise<number>((resolve) => sweeps.push(resolve)));
  const flush = () => new Promise((resolve) => setImmediate(resolve));
  return { runner, sweeps, flush };
}

describe('JobRunner.sweep', () => {
  it('reads the database again for a caller that arrives while a sweep runs', async () => {
    const { runner, sweeps, flush } = runnerWithControlledSweeps();
    const timers = runner.sweep();
    await flush();
    const callers = [runner.sweep(), runner.sweep()];
    expect(sweeps).toHaveLength(1);
    sweeps[0](0);
    expect(await timers).toBe(0);
    await flush();
    // The sweep in flight read the database before the callers' changes: one more runs for both.
    expect(sweeps).toHaveLength(2);
    sweeps[1](3);
    expect(await Promise.all(callers)).toEqual([3, 3]);
  });

  it('sweeps again after a sweep that failed', async () => {
    const { runner, sweeps, flush } = runnerWithControlledSweeps();
    const failing = runner.sweep();
    await flush();
    const caller = runner.sweep();
    (sweeps[0] as unknown as (value: Promise<number>) => void)(Promise.reject(new Error('db gone')));
    await expect(failing).rejects.toThrow('db gone');
    await flush();
    sweeps[1](1);
    expect(await caller).toBe(1);
  });

  it('starts no further sweep once shutting down', async () => {
    const { runner, sweeps, flush } = runnerWithControlledSweeps();
    void runner.sweep();
    await flush();
    const caller = runner.sweep();
    const shutdown = runner.beforeApplicationShutdown();
    sweeps[0](2);
    await shutdown;
    expect(await caller).toBe(0);
    expect(sweeps).toHaveLength(1);
  });
});
