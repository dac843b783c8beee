import { connectionTimesBetween, parseConnectionSnapshot } from './connection-times';

const scrape = (lines: string[]) => parseConnectionSnapshot(lines.join('\n'));

describe('connection waits and holds between two scrapes', () => {
  const before = scrape([
    'strata_db_connection_wait_seconds_bucket{le="0.01",lane="request"} 10',
    'strata_db_connection_wait_seconds_bucket{le="0.05",lane="request"} 10',
    'strata_db_connection_wait_seconds_bucket{le="0.1",lane="request"} 10',
    'strata_db_connection_wait_seconds_bucket{le="+Inf",lane="request"} 10',
    'strata_db_connection_wait_seconds_sum{lane="request"} 0.02',
    'strata_db_connection_wait_seconds_count{lane="request"} 10',
  ]);

  it('counts only what happened in between, with the p95 bucket and the waits over 50 ms', () => {
    const after = scrape([
      '# HELP strata_db_connection_wait_seconds Waits',
      'strata_db_connection_wait_seconds_bucket{le="0.01",lane="request"} 90',
      'strata_db_connection_wait_seconds_bucket{le="0.05",lane="request"} 100',
      'strata_db_connection_wait_seconds_bucket{le="0.1",lane="request"} 108',
      'strata_db_connection_wait_seconds_bucket{le="+Inf",lane="request"} 110',
      'strata_db_connection_wait_seconds_sum{lane="request"} 2.02',
      'strata_db_connection_wait_seconds_count{lane="request"} 110',
      'strata_db_connection_hold_seconds_bucket{le="0.01",lane="job"} 1',
      'strata_db_connection_hold_seconds_bucket{le="0.05",lane="job"} 1',
      'strata_db_connection_hold_seconds_bucket{le="0.1",lane="job"} 1',
      'strata_db_connection_hold_seconds_bucket{le="+Inf",lane="job"} 2',
      'strata_db_connection_hold_seconds_sum{lane="job"} 0.5',
      'strata_db_connection_hold_seconds_count{lane="job"} 2',
      'strata_http_request_duration_seconds_count{method="GET",route="/x",status="200"} 9',
    ]);
    expect(connectionTimesBetween(before, after)).toEqual({
      // 100 waits since: 80 within 10 ms, 90 within 50, 98 within 100 (the 95th is there).
      wait: { request: { count: 100, mean_ms: 20, p95_ms_at_most: 100, over_50ms: 10 } },
      hold: { job: { count: 2, mean_ms: 250, p95_ms_at_most: Infinity, over_50ms: 1 } },
    });
  });

  it('leaves out lanes with nothing in between', () => {
    expect(connectionTimesBetween(before, before)).toEqual({ wait: {}, hold: {} });
  });
});
