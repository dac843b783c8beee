import { labelsOf, metricsTextAt } from './prometheus-text';

/**
 * Database connection waits and holds per lane (strata_db_connection_{wait,hold}_seconds) over a
 * stretch of a run: the difference of two scrapes of a process's metrics. With the embedded
 * database's one connection, a request's wait is the hold of whichever job statement or
 * transaction it arrived behind; this tells that apart from time spent elsewhere.
 */
export interface LaneTimes {
  count: number;
  mean_ms: number;
  /** Upper bound of the histogram bucket holding the 95th percentile. */
  p95_ms_at_most: number;
  /** Waits or holds over 50 ms. */
  over_50ms: number;
}

export interface ConnectionTimes {
  wait: Record<string, LaneTimes>;
  hold: Record<string, LaneTimes>;
}

/** Cumulative bucket counts and sums per metric and lane, as one scrape shows them. */
export type ConnectionSnapshot = Map<string, { buckets: Map<number, number>; sum: number; count: number }>;

const SAMPLE = /^strata_db_connection_(wait|hold)_seconds_(bucket|sum|count)\{([^}]*)\} ([0-9.eE+-]+)$/;

export function parseConnectionSnapshot(text: string): ConnectionSnapshot {
  const snapshot: ConnectionSnapshot = new Map();
  for (const line of text.split('\n')) {
    const match = SAMPLE.exec(line.trim());
    if (!match) continue;
    const [, metric, part, labelText, raw] = match;
    const labels = labelsOf(labelText);
    const key = `${metric} ${labels.lane}`;
    const entry = snapshot.get(key) ?? { buckets: new Map(), sum: 0, count: 0 };
    snapshot.set(key, entry);
    const value = Number(raw);
    if (part === 'bucket') entry.buckets.set(labels.le === '+Inf' ? Infinity : Number(labels.le), value);
    else if (part === 'sum') entry.sum = value;
    else entry.count = value;
  }
  return snapshot;
}

/** What happened between two snapshots of the same process. */
export function connectionTimesBetween(
  before: ConnectionSnapshot,
  after: ConnectionSnapshot,
): ConnectionTimes {
  const times: ConnectionTimes = { wait: {}, hold: {} };
  for (const [key, end] of after) {
    const [metric, lane] = key.split(' ') as ['wait' | 'hold', string];
    const start = before.get(key);
    const count = end.count - (start?.count ?? 0);
    if (count === 0) continue;
    const bounds = [...end.buckets.keys()].sort((a, b) => a - b);
    const within = (le: number) => (end.buckets.get(le) ?? 0) - (start?.buckets.get(le) ?? 0);
    const p95 = bounds.find((le) => within(le) >= 0.95 * count) ?? Infinity;
    times[metric][lane] = {
      count,
      mean_ms: round(((end.sum - (start?.sum ?? 0)) * 1000) / count),
      p95_ms_at_most: p95 === Infinity ? Infinity : round(p95 * 1000),
      over_50ms: count - within(0.05),
    };
  }
  return times;
}

export async function connectionSnapshotAt(metricsUrl: string): Promise<ConnectionSnapshot> {
  return parseConnectionSnapshot(await metricsTextAt(metricsUrl));
}

const round = (n: number) => Math.round(n * 100) / 100;
