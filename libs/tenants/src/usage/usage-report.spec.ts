import { withRatings } from './usage-report.service';

const counters = {
  queries: 1,
  tokens_in: 0,
  tokens_out: 0,
  embedding_tokens: 0,
  bytes_ingested: 0,
  documents: 0,
};

describe('withRatings', () => {
  it('puts each day’s ratings beside its counters, and gives a day with ratings only a row of its own', () => {
    const rows = withRatings(
      [
        { day: '2026-12-04', ...counters },
        { day: '2026-12-02', ...counters },
      ],
      [
        { day: '2026-12-03', up: 1, down: 0 },
        { day: '2026-12-02', up: 2, down: 3 },
      ],
    );
    expect(rows.map((row) => [row.day, row.queries, row.answers_up, row.answers_down])).toEqual([
      ['2026-12-04', 1, 0, 0],
      ['2026-12-03', 0, 1, 0],
      ['2026-12-02', 1, 2, 3],
    ]);
  });
});
