import { median } from '../scale/latency';
import type { LaneTimes } from './connection-times';
import type { StatementTime } from './statement-times';
import {
  benchCorpus,
  type Build,
  EMBEDDED_MODE,
  inServerDatabase,
  log,
  type ModeResult,
  round,
  runMode,
  SERVER_MODE,
  TARGETS,
} from '../ingest.bench';

/**
 * One build against another on the same machine, run after run: single runs here move 30% from
 * one to the next (other work on the host), so a change is judged on several interleaved pairs,
 * never on one run of each. Runs go in ABBA order so that a drift over the session weighs on both.
 */
export interface CompareOptions {
  /** This checkout's build, and another one (a copy of its dist/apps made before a change). */
  builds: { this: Build; other: Build };
  mode: 'embedded' | 'server';
  pairs: number;
  megabytes: number;
  /** Also time a small tenant's document beside a bulk upload, after each run's ingest. */
  fairness: boolean;
  postgresUrl: string;
  redisUrl: string;
}

export interface ComparedRun {
  build: 'this' | 'other';
  searchable_chunks_per_second: number;
  graph_chunks_per_second: number;
  cpu_ms_per_chunk: number;
  /** Idle p95s too: a ratio moves with either side, and one run's idle tail moved it by half. */
  kb_read_idle_p95_ms: number;
  kb_read_busy_p95_ms: number;
  kb_read_p95_ratio: number;
  health_idle_p95_ms: number;
  health_busy_p95_ms: number;
  request_waits_over_50ms: number;
  job_holds_over_50ms: number;
  graph_holds_over_50ms: number;
  /** Seconds graph work and other jobs spent waiting for a connection, summed. */
  graph_wait_seconds: number;
  /** Of graph_wait_seconds, those after every document was searchable. */
  graph_wait_seconds_after_searchable: number;
  job_wait_seconds: number;
  /** With `fairness`: see Fairness. */
  fairness_idle_seconds?: number;
  fairness_beside_bulk_seconds?: number;
  fairness_ratio?: number;
  /**
   * Where the run's jobs spent their time, seconds per step summed over documents (`ingest …`)
   * and graph batches (`merge …`): shown apart from the figures, to say which step moved.
   */
  steps?: Record<string, number>;
  /** Embedded only: the statements the database spent most time on (see ModeResult). */
  statements?: StatementTime[];
}

export interface CompareReport {
  benchmark: 'ingest-compare';
  date: string;
  mode: string;
  other: string;
  runs: ComparedRun[];
}

const FIGURES: Array<[keyof Omit<ComparedRun, 'build' | 'steps' | 'statements'>, string]> = [
  ['searchable_chunks_per_second', 'searchable chunks/s'],
  ['graph_chunks_per_second', 'graph chunks/s'],
  ['cpu_ms_per_chunk', 'CPU ms per chunk'],
  ['kb_read_idle_p95_ms', 'KB read idle p95 ms'],
  ['kb_read_busy_p95_ms', 'KB read busy p95 ms'],
  ['kb_read_p95_ratio', 'KB read p95 busy / idle'],
  ['health_idle_p95_ms', '/health/live idle p95 ms'],
  ['health_busy_p95_ms', '/health/live busy p95 ms'],
  ['request_waits_over_50ms', 'request waits over 50 ms'],
  ['job_holds_over_50ms', 'job connection holds over 50 ms'],
  ['graph_holds_over_50ms', 'graph connection holds over 50 ms'],
  ['graph_wait_seconds', 'graph waits for a connection s'],
  ['graph_wait_seconds_after_searchable', 'of them after searchable s'],
  ['job_wait_seconds', 'job waits for a connection s'],
  ['fairness_idle_seconds', 'small document to searchable, idle s'],
  ['fairness_beside_bulk_seconds', 'the same beside a bulk upload s'],
  ['fairness_ratio', 'beside bulk / idle'],
];

/** ABBA: this, other, other, this, this, other, ... */
export function abbaOrder(pairs: number): Array<'this' | 'other'> {
  return Array.from({ length: pairs }, (_, i) =>
    i % 2 === 0 ? (['this', 'other'] as const) : (['other', 'this'] as const),
  ).flat();
}

export async function compareIngest(options: CompareOptions): Promise<CompareReport> {
  const corpus = benchCorpus(options.megabytes);
  const mode = options.mode === 'embedded' ? EMBEDDED_MODE : SERVER_MODE;
  const report: CompareReport = {
    benchmark: 'ingest-compare',
    date: new Date().toISOString(),
    mode,
    other: options.builds.other.apiMain,
    runs: [],
  };
  const settings = { withWorker: options.mode === 'server', measureFairness: options.fairness };
  for (const build of abbaOrder(options.pairs)) {
    const run = (env: Record<string, string>) =>
      runMode(mode, options.builds[build], corpus, env, TARGETS[mode], settings);
    let result: ModeResult;
    if (options.mode === 'embedded') result = await run({});
    else {
      const outcome = await inServerDatabase(options, run);
      if ('unreachable' in outcome) throw new Error(outcome.unreachable);
      result = outcome.result;
    }
    report.runs.push(comparedRun(build, result));
    log(`${build}: ${JSON.stringify(report.runs.at(-1))}`);
  }
  return report;
}

function comparedRun(build: ComparedRun['build'], result: ModeResult): ComparedRun {
  const { hold: holds, wait: waits } = result.connections.worker ?? result.connections.api;
  return {
    build,
    searchable_chunks_per_second: result.searchable_chunks_per_second,
    graph_chunks_per_second: result.graph_chunks_per_second,
    cpu_ms_per_chunk: result.cpu_ms_per_chunk,
    kb_read_idle_p95_ms: result.responsiveness.idle.kb_read.p95_ms,
    kb_read_busy_p95_ms: result.responsiveness.busy.kb_read.p95_ms,
    kb_read_p95_ratio: result.responsiveness.kb_read_p95_ratio,
    health_idle_p95_ms: result.responsiveness.idle.health.p95_ms,
    health_busy_p95_ms: result.responsiveness.busy.health.p95_ms,
    request_waits_over_50ms: result.connections.api.wait.request?.over_50ms ?? 0,
    job_holds_over_50ms: holds.job?.over_50ms ?? 0,
    graph_holds_over_50ms: holds.graph?.over_50ms ?? 0,
    graph_wait_seconds: waitSeconds(waits.graph),
    graph_wait_seconds_after_searchable: waitSeconds(result.jobs_connections.after_searchable.wait.graph),
    job_wait_seconds: waitSeconds(waits.job),
    steps: {
      ...prefixed('ingest', result.steps.ingest),
      ...prefixed('merge', result.steps.merge),
    },
    ...(result.top_statements && { statements: result.top_statements }),
    ...(result.fairness && {
      fairness_idle_seconds: result.fairness.idle_seconds,
      fairness_beside_bulk_seconds: result.fairness.beside_bulk_seconds,
      fairness_ratio: result.fairness.ratio,
    }),
  };
}

export function compareTable(report: CompareReport): string {
  const of = (build: ComparedRun['build']) => report.runs.filter((r) => r.build === build);
  const lines = [
    `Ingest comparison, ${report.date.slice(0, 10)}, ${report.mode}: this checkout's build against ${report.other}, runs in ABBA order.`,
    '',
    `| figure | this: median | other: median | this / other | this: runs | other: runs |`,
    '|---|---:|---:|---:|---|---|',
    ...FIGURES.filter(([key]) => report.runs.some((r) => r[key] !== undefined)).map(([key, name]) => {
      const mine = of('this').map((r) => r[key] ?? 0);
      const theirs = of('other').map((r) => r[key] ?? 0);
      const ratio = median(theirs) === 0 ? '' : round(median(mine) / median(theirs));
      return `| ${name} | ${round(median(mine))} | ${round(median(theirs))} | ${ratio} | ${mine.join(', ')} | ${theirs.join(', ')} |`;
    }),
  ];
  return [...lines, ...stepLines(report.runs), ...statementLines(report.runs)].join('\n');
}

/** A row per key of `values` in any run: the medians of each build's runs that have it, and their ratio. */
function medianRows(
  runs: ComparedRun[],
  values: (run: ComparedRun) => Record<string, number>,
  name: (key: string) => string,
): string[] {
  const keys = [...new Set(runs.flatMap((run) => Object.keys(values(run))))];
  const medianOf = (build: ComparedRun['build'], key: string) => {
    const present = runs.filter((r) => r.build === build && key in values(r)).map((r) => values(r)[key]);
    return present.length === 0 ? null : round(median(present));
  };
  return keys.map((key) => {
    const mine = medianOf('this', key);
    const theirs = medianOf('other', key);
    const ratio = mine === null || theirs === null || theirs === 0 ? '' : round(mine / theirs);
    return `| ${name(key)} | ${mine ?? ''} | ${theirs ?? ''} | ${ratio} |`;
  });
}

function stepLines(runs: ComparedRun[]): string[] {
  if (!runs.some((run) => run.steps)) return [];
  return [
    '',
    'Where the jobs spent their time (seconds summed over documents or graph batches; medians):',
    '',
    '| step | this s | other s | this / other |',
    '|---|---:|---:|---:|',
    ...medianRows(
      runs,
      (run) => run.steps ?? {},
      (key) => key,
    ),
  ];
}

/**
 * The statements either build spent most time on, by their first 100 characters (medians over
 * the runs whose top list has them; an empty cell: never in that build's top list).
 */
function statementLines(runs: ComparedRun[]): string[] {
  if (!runs.some((run) => run.statements)) return [];
  const byText = (run: ComparedRun) =>
    Object.fromEntries((run.statements ?? []).map((s) => [statementKey(s.statement), s.ms / 1000]));
  return [
    '',
    'The statements the database spent most time on (seconds; medians):',
    '',
    '| statement (first 100 characters) | this s | other s | this / other |',
    '|---|---:|---:|---:|',
    ...medianRows(runs, byText, (key) => `\`${key.replace(/\|/g, '\\|')}\``),
  ];
}

const statementKey = (statement: string) => statement.replace(/\s+/g, ' ').trim().slice(0, 100);

const prefixed = (prefix: string, values: Record<string, number>) =>
  Object.fromEntries(Object.entries(values).map(([key, value]) => [`${prefix} ${key}`, value]));

const waitSeconds = (times: LaneTimes | undefined) =>
  times ? round((times.mean_ms * times.count) / 1000) : 0;
