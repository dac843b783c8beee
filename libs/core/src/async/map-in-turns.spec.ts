import { mapInTurns } from './map-in-turns';

/** Keeps the thread busy for `ms`, as a synchronous stretch of real work would. */
function busyFor(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // spinning
  }
}

describe('mapInTurns', () => {
  it('answers the results in order, waiting for the asynchronous ones', async () => {
    const results = await mapInTurns([3, 1, 2], async (n, i) => {
      await new Promise((resolve) => setTimeout(resolve, n));
      return `${i}:${n}`;
    });
    expect(results).toEqual(['0:3', '1:1', '2:2']);
    expect(await mapInTurns([], (n: number) => n)).toEqual([]);
  });

  it('lets other work run between turns while a long synchronous map goes on', async () => {
    const events: string[] = [];
    setImmediate(() => events.push('other work'));
    await mapInTurns(
      Array.from({ length: 10 }, (_, i) => i),
      (i) => {
        busyFor(2);
        events.push(`item ${i}`);
      },
    );
    const other = events.indexOf('other work');
    expect(other).toBeGreaterThan(0);
    expect(other).toBeLessThan(events.length - 1);
  });

  it('runs the waiting parts concurrently', async () => {
    let inFlight = 0;
    let most = 0;
    await mapInTurns([1, 2, 3, 4], async () => {
      most = Math.max(most, ++inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight--;
    });
    expect(most).toBe(4);
  });

  it('rejects with the first failure, and a failure found early is not an unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const run = mapInTurns(
        Array.from({ length: 10 }, (_, i) => i),
        async (i) => {
          if (i === 0) throw new Error('first');
          busyFor(2);
          return i;
        },
      );
      await expect(run).rejects.toThrow('first');
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
