import { abbaOrder, type ComparedRun, compareTable } from './compare';

/** One run's figures: fixed ones, with `figures` in their place. */
const runOf = (build: ComparedRun['build'], figures: Partial<ComparedRun>): ComparedRun => ({
  build,
  searchable_chunks_per_second: 200,
  graph_chunks_per_second: 50,
  cpu_ms_per_chunk: 30,
  kb_read_idle_p95_ms: 25,
  kb_read_busy_p95_ms: 100,
  kb_read_p95_ratio: 4,
  health_idle_p95_ms: 5,
  health_busy_p95_ms: 10,
  request_waits_over_50ms: 0,
  job_holds_over_50ms: 3,
  graph_holds_over_50ms: 1,
  graph_wait_seconds: 2,
  graph_wait_seconds_after_searchable: 1.5,
  job_wait_seconds: 1,
  ...figures,
});

describe('comparing two builds', () => {
  it('runs them in ABBA order', () => {
    expect(abbaOrder(3)).toEqual(['this', 'other', 'other', 'this', 'this', 'other']);
  });

  it('shows each figure as medians, their ratio and every run', () => {
    const run = (build: ComparedRun['build'], searchable: number) =>
      runOf(build, { searchable_chunks_per_second: searchable });
    const table = compareTable({
      benchmark: 'ingest-compare',
      date: '2026-12-01T08:00:00.000Z',
      mode: 'embedded',
      other: '/tmp/before/api/main.js',
      runs: [run('this', 220), run('other', 200), run('other', 180), run('this', 240)],
    });
    expect(table).toContain('| searchable chunks/s | 230 | 190 | 1.21 | 220, 240 | 200, 180 |');
    expect(table).toContain('| request waits over 50 ms | 0 | 0 |  | 0, 0 | 0, 0 |');
    expect(table).toContain('| /health/live busy p95 ms | 10 | 10 | 1 | 10, 10 | 10, 10 |');
    expect(table).not.toContain('beside bulk'); // not measured in these runs
  });

  it('shows the fairness figures when the runs measured them', () => {
    const run = (build: ComparedRun['build'], beside: number) =>
      runOf(build, {
        fairness_idle_seconds: 0.1,
        fairness_beside_bulk_seconds: beside,
        fairness_ratio: Math.round(beside * 100) / 10,
      });
    const table = compareTable({
      benchmark: 'ingest-compare',
      date: '2026-12-01T08:00:00.000Z',
      mode: 'embedded',
      other: '/tmp/before/api/main.js',
      runs: [run('this', 0.15), run('other', 0.3)],
    });
    expect(table).toContain('| the same beside a bulk upload s | 0.15 | 0.3 | 0.5 | 0.15 | 0.3 |');
    expect(table).toContain('| beside bulk / idle | 1.5 | 3 | 0.5 | 1.5 | 3 |');
  });

  it('shows where each build spent its time, step by step and statement by statement', () => {
    const run = (build: ComparedRun['build'], write: number, index: number | null) =>
      runOf(build, {
        steps: { 'ingest chunk-write': write, 'merge embed': 2 },
        statements: [
          {
            statement: 'INSERT INTO strata_vectors (id)   VALUES ($1)',
            ms: 2000,
            executions: 10,
            longestMs: 0,
            longExecutions: 0,
          },
          ...(index === null
            ? []
            : [
                {
                  statement: 'WITH posting AS | x',
                  ms: index,
                  executions: 5,
                  longestMs: 0,
                  longExecutions: 0,
                },
              ]),
        ],
      });
    const table = compareTable({
      benchmark: 'ingest-compare',
      date: '2026-12-01T08:00:00.000Z',
      mode: 'embedded',
      other: '/tmp/before/api/main.js',
      runs: [run('this', 4, 1500), run('other', 2, null), run('other', 3, null), run('this', 5, 2500)],
    });
    expect(table).toContain('| ingest chunk-write | 4.5 | 2.5 | 1.8 |');
    expect(table).toContain('| merge embed | 2 | 2 | 1 |');
    // Whitespace folded; a statement only one build ran leaves the other's cell empty.
    expect(table).toContain('| `INSERT INTO strata_vectors (id) VALUES ($1)` | 2 | 2 | 1 |');
    expect(table).toContain('| `WITH posting AS \\| x` | 2 |  |  |');
  });

  it('leaves the breakdowns out of runs that did not record them', () => {
    const table = compareTable({
      benchmark: 'ingest-compare',
      date: '2026-12-01T08:00:00.000Z',
      mode: 'server',
      other: '/tmp/before/api/main.js',
      runs: [runOf('this', {}), runOf('other', {})],
    });
    expect(table).not.toContain('Where the jobs spent');
    expect(table).not.toContain('statements the database');
  });
});
