import { slices } from '@strata/core';
import type { Embedder, EmbeddingVector } from '@strata/providers';

/** Texts per embedding call: bounded requests to the provider, and progress between them. */
const EMBED_SLICE = 64;

/** One vector per text, in order, embedded a slice at a time; `onSlice` hears how many are done. */
export async function embedInSlices(
  embedder: Embedder,
  texts: readonly string[],
  onSlice?: (done: number) => Promise<unknown>,
): Promise<EmbeddingVector[]> {
  const vectors: EmbeddingVector[] = [];
  for (const slice of slices(texts, EMBED_SLICE)) {
    vectors.push(...(await embedder.embed(slice)));
    await onSlice?.(vectors.length);
  }
  return vectors;
}
