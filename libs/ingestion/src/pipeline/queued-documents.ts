import type { JobQueue } from '@strata/storage';
import type { IngestionActivity } from './ingestion-activity';

/** Documents flow while one settled here within this long. */
const FLOWING_WITHIN_MS = 1000;

/**
 * Resolves once the documents queued to become searchable stop flowing through this process:
 * none waits in the queue, or none settled here within the last second (they wait on a slow
 * provider, or other processes take them, and holding back helps no one), or after `limitMs` at
 * the latest. A queue that cannot answer (closing, Redis gone) counts as empty.
 */
export async function queuedDocumentsFlowed(
  queue: Pick<JobQueue, 'depth'>,
  activity: Pick<IngestionActivity, 'settledWithin'>,
  limitMs: number,
  pollMs = 250,
): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (activity.settledWithin(FLOWING_WITHIN_MS) && (await queue.depth('documents').catch(() => 0)) > 0) {
    const left = deadline - Date.now();
    if (left <= 0) return;
    await new Promise((resolve) => setTimeout(resolve, Math.min(pollMs, left)));
  }
}
