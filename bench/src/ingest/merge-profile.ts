import { labelsOf, metricsTextAt } from './prometheus-text';

/** Where a run's graph merges spent their time, from the metrics of the process that ran the jobs. */
export interface MergeProfile {
  /** Seconds per merge step (strata_graph_merge_step_seconds), summed over every batch. */
  seconds: Record<string, number>;
  /** Entities and relations merged, by kind and source (strata_graph_merged_total). */
  merged: Record<string, number>;
}

const SAMPLE = /^(strata_graph_merge_step_seconds_sum|strata_graph_merged_total)\{([^}]*)\} ([0-9.eE+-]+)$/;

/** Reads the merge metrics from Prometheus text. */
export function parseMergeProfile(text: string): MergeProfile {
  const profile: MergeProfile = { seconds: {}, merged: {} };
  for (const line of text.split('\n')) {
    const match = SAMPLE.exec(line.trim());
    if (!match) continue;
    const labels = labelsOf(match[2]);
    const value = Number(match[3]);
    if (match[1] === 'strata_graph_merge_step_seconds_sum') profile.seconds[labels.step] = round(value);
    else profile.merged[`${labels.kind} ${labels.source}`] = value;
  }
  return profile;
}

export async function mergeProfileAt(metricsUrl: string): Promise<MergeProfile> {
  return parseMergeProfile(await metricsTextAt(metricsUrl));
}

const round = (n: number) => Math.round(n * 100) / 100;
