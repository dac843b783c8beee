import { parseStepProfile } from './step-profile';

describe('reading the step profile from metrics', () => {
  it('sums per step of either job and counts per kind and source, and ignores other series', () => {
    const text = [
      '# HELP strata_graph_merge_step_seconds Steps',
      'strata_graph_merge_step_seconds_bucket{le="0.005",step="read"} 3',
      'strata_graph_merge_step_seconds_sum{step="read"} 4.256',
      'strata_graph_merge_step_seconds_count{step="read"} 35',
      'strata_graph_merge_step_seconds_sum{step="embed"} 1.5',
      'strata_ingest_step_seconds_sum{step="embed"} 0.254',
      'strata_ingest_step_seconds_count{step="embed"} 52',
      'strata_graph_merged_total{kind="entity",source="first-mentions"} 3000',
      'strata_graph_merged_total{kind="relation",source="read-back"} 12',
      'strata_http_request_duration_seconds_sum{method="GET",route="/x",status="200"} 9',
    ].join('\n');
    expect(parseStepProfile(text)).toEqual({
      ingest: { embed: 0.25 },
      merge: { read: 4.26, embed: 1.5 },
      merged: { 'entity first-mentions': 3000, 'relation read-back': 12 },
    });
  });
});
