import { labelsOf, metricsTextAt } from './prometheus-text';

/** Where a run's jobs spent their time, from the metrics of the process that ran them. */
export interface StepProfile {
  /** Seconds per step of making documents searchable (strata_ingest_step_seconds), summed over documents. */
  ingest: Record<string, number>;
  /** Seconds per graph merge step (strata_graph_merge_step_seconds), summed over every batch. */
  merge: Record<string, number>;
  /** Entities and relations merged, by kind and source (strata_graph_merged_total). */
  merged: Record<string, number>;
}

const SAMPLE =
  /^(strata_ingest_step_seconds_sum|strata_graph_merge_step_seconds_sum|strata_graph_merged_total)\{([^}]*)\} ([0-9.eE+-]+)$/;

/** Reads the step metrics from Prometheus text. */
export function parseStepProfile(text: string): StepProfile {
  const profile: StepProfile = { ingest: {}, merge: {}, merged: {} };
  for (const line of text.split('\n')) {
    const match = SAMPLE.exec(line.trim());
    if (!match) continue;
    const labels = labelsOf(match[2]);
    const value = Number(match[3]);
    if (match[1] === 'strata_ingest_step_seconds_sum') profile.ingest[labels.step] = round(value);
    else if (match[1] === 'strata_graph_merge_step_seconds_sum') profile.merge[labels.step] = round(value);
    else profile.merged[`${labels.kind} ${labels.source}`] = value;
  }
  return profile;
}

export async function stepProfileAt(metricsUrl: string): Promise<StepProfile> {
  return parseStepProfile(await metricsTextAt(metricsUrl));
}

const round = (n: number) => Math.round(n * 100) / 100;
