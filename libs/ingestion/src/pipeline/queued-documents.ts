import type { JobQueue } from '@strata/storage';

/**
 * Resolves once no document job waits in the queue (every queued document has started), or after
 * `limitMs` at the latest. A queue that cannot answer (closing, Redis gone) counts as empty: the
 * caller then goes on and meets the same condition where it can handle it.
 */
export async function queuedDocumentsStarted(
  queue: Pick<JobQueue, 'depth'>,
  limitMs: number,
  pollMs = 250,
): Promise<void> {
  const deadline = Date.now() + limitMs;
  while ((await queue.depth('documents').catch(() => 0)) > 0) {
    const left = deadline - Date.now();
    if (left <= 0) return;
    await new Promise((resolve) => setTimeout(resolve, Math.min(pollMs, left)));
  }
}
