/**
 * The first `limit` of `items` in the order `before` sorts them, without sorting them all: a
 * question's words touch thousands of chunks of a large KB, and a search keeps tens.
 */
export function bestOf<T>(items: readonly T[], limit: number, before: (a: T, b: T) => number): T[] {
  if (limit <= 0) return [];
  if (items.length <= limit) return [...items].sort(before);
  // A heap of the best so far with the worst of them on top, replaced by anything better.
  const heap: T[] = [];
  const worse = (i: number, j: number) => before(heap[i], heap[j]) > 0;
  const swap = (i: number, j: number) => ([heap[i], heap[j]] = [heap[j], heap[i]]);
  const sink = (i: number) => {
    for (;;) {
      const [left, right] = [2 * i + 1, 2 * i + 2];
      let top = i;
      if (left < heap.length && worse(left, top)) top = left;
      if (right < heap.length && worse(right, top)) top = right;
      if (top === i) return;
      swap(i, top);
      i = top;
    }
  };
  for (const item of items) {
    if (heap.length < limit) {
      heap.push(item);
      for (let i = heap.length - 1; i > 0 && worse(i, (i - 1) >> 1); i = (i - 1) >> 1) swap(i, (i - 1) >> 1);
    } else if (before(item, heap[0]) < 0) {
      heap[0] = item;
      sink(0);
    }
  }
  return heap.sort(before);
}
