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
  for (let i = 0; i < texts.length; i += EMBED_SLICE) {
    vectors.push(...(await embedder.embed(texts.slice(i, i + EMBED_SLICE))));
    await onSlice?.(vectors.length);
  }
  return vectors;
}
