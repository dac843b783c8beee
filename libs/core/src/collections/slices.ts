/** `items` in consecutive slices of at most `size`, in order: bounded statements, requests and batches. */
export function* slices<T>(items: readonly T[], size: number): Generator<T[]> {
  if (!Number.isInteger(size) || size < 1)
    throw new RangeError(`slice size must be a positive integer, got ${size}`);
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}
