/** `items` in consecutive slices of at most `size`, in order: bounded statements, requests and batches. */
export function* slices<T>(items: readonly T[], size: number): Generator<T[]> {
  if (!Number.isInteger(size) || size < 1)
    throw new RangeError(`slice size must be a positive integer, got ${size}`);
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

/**
 * `items` in consecutive slices of at most `limit` bytes by `bytesOf` and at most `maxItems` items,
 * in order: statements bounded by what they carry when items differ in size. An item over the
 * byte limit alone is a slice of its own.
 */
export function* slicesOfBytes<T>(
  items: readonly T[],
  bytesOf: (item: T) => number,
  limit: number,
  maxItems = Infinity,
): Generator<T[]> {
  let slice: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = bytesOf(item);
    if (slice.length > 0 && (bytes + size > limit || slice.length === maxItems)) {
      yield slice;
      slice = [];
      bytes = 0;
    }
    slice.push(item);
    bytes += size;
  }
  if (slice.length > 0) yield slice;
}
