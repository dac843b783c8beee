/** How long a map runs on the event loop before it lets other work (HTTP requests) have a turn. */
const TURN_MS = 4;

/**
 * Starts `fn` on each of `items` in order, letting the event loop run between turns of about
 * TURN_MS, and answers the results in order once all have settled (rejecting with the first
 * failure, as Promise.all does). The calls still run concurrently where they wait (an LLM
 * summary); what this bounds is their synchronous part: a graph merge's batch of ~1,000 entities
 * and relations held the thread that serves HTTP for 30-70 ms at a time.
 */
export async function mapInTurns<T, R>(
  items: readonly T[],
  fn: (item: T, index: number) => R | Promise<R>,
): Promise<R[]> {
  const started: Array<R | Promise<R>> = [];
  let observed = 0;
  // Results that reject while the later calls are still being started are handled below, by
  // Promise.all; until then they must not count as unhandled rejections.
  const observe = () => {
    for (; observed < started.length; observed++) {
      const result = started[observed];
      if (result instanceof Promise) result.catch(() => undefined);
    }
  };
  let turnStart = performance.now();
  try {
    for (let i = 0; i < items.length; i++) {
      started.push(fn(items[i], i));
      if (performance.now() - turnStart >= TURN_MS) {
        observe();
        await new Promise<void>((resolve) => setImmediate(resolve));
        turnStart = performance.now();
      }
    }
  } catch (error) {
    observe();
    throw error;
  }
  return Promise.all(started);
}
