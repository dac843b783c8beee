import { Logger } from '@nestjs/common';

const logger = new Logger('Shutdown');
/** Steps of a shutdown in progress, by a number of their own (two apps in one process may overlap). */
const pending = new Map<number, string>();
const abandonedListeners = new Set<(what: string) => void>();
let nextStep = 0;

/** What shutdown steps are running now, in the order they began. */
export function pendingShutdownSteps(): string[] {
  return [...pending.values()];
}

/**
 * Calls `listener` with the name of every shutdown step given up on from now on, until the
 * returned function is called. For the test harness, which runs without logs.
 */
export function onShutdownStepAbandoned(listener: (what: string) => void): () => void {
  abandonedListeners.add(listener);
  return () => abandonedListeners.delete(listener);
}

/**
 * Runs one named step of the application's shutdown (closing a store, waiting for running jobs).
 * A step that fails is logged and shutdown goes on. A step still running after `limitMs` is given
 * up on: it is logged by name, `abandon` (if any) forces it, and shutdown goes on, so one stuck
 * resource cannot hold the whole process. Nothing is lost that way: unfinished work resumes from
 * the database at the next start.
 */
export async function shutdownStep(
  what: string,
  limitMs: number,
  work: () => Promise<unknown>,
  abandon?: () => Promise<unknown>,
): Promise<void> {
  const id = nextStep++;
  pending.set(id, what);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), limitMs);
    timer.unref();
  });
  try {
    const outcome = await Promise.race([
      work().then(
        () => 'done' as const,
        (error: Error) => logger.warn(`shutdown: ${what} failed: ${error.message}`),
      ),
      late,
    ]);
    if (outcome !== 'late') return;
    logger.error(`shutdown: gave up waiting for ${what} after ${limitMs / 1000} s`);
    for (const listener of abandonedListeners) listener(what);
    await abandon?.().catch((error: Error) =>
      logger.warn(`shutdown: forcing ${what} failed: ${error.message}`),
    );
  } finally {
    clearTimeout(timer);
    pending.delete(id);
  }
}
