/** Latency samples in milliseconds and their percentiles. */
export interface Percentiles {
  samples: number;
  p50_ms: number;
  p95_ms: number;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

export function percentiles(times: readonly number[]): Percentiles {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
  return { samples: sorted.length, p50_ms: round2(at(0.5)), p95_ms: round2(at(0.95)) };
}

/** The middle value (the mean of the two middle ones for an even count); 0 for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** (measured / baseline) - 1, as a fraction (0.02 = 2% slower). */
export const overhead = (measured: number, baseline: number) =>
  Math.round((measured / baseline - 1) * 10_000) / 10_000;

export async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

/**
 * Runs each contender `samples` times, one request at a time, alternating which goes first, so
 * drift on the machine (other processes, CPU frequency, a GC) lands on both alike.
 */
export async function interleaved<K extends string>(
  contenders: Record<K, (sample: number) => Promise<unknown>>,
  samples: number,
): Promise<Record<K, number[]>> {
  const names = Object.keys(contenders) as K[];
  const times = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<K, number[]>;
  for (let i = 0; i < samples; i++) {
    const order = i % 2 === 0 ? names : [...names].reverse();
    for (const name of order) times[name].push(await timed(() => contenders[name](i)));
  }
  return times;
}

/** `clients` loops running `step` until `seconds` have passed; returns how many steps finished. */
export async function closedLoop(
  clients: number,
  seconds: number,
  step: (client: number, iteration: number) => Promise<void>,
): Promise<number> {
  const deadline = performance.now() + seconds * 1000;
  let done = 0;
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      for (let i = 0; performance.now() < deadline; i++) {
        await step(client, i);
        done++;
      }
    }),
  );
  return done;
}
