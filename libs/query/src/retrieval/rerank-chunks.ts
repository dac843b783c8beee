import type { Reranker } from '@strata/providers';
import type { RankedChunk } from './ranked-chunk';

/**
 * The chunks in the rerank provider's order, each scored with its relevance. Chunks the provider
 * left out of its answer follow in their fused order, scored 0, so nothing retrieved is lost.
 */
export async function rerankChunks(
  reranker: Reranker,
  query: string,
  chunks: readonly RankedChunk[],
  signal?: AbortSignal,
): Promise<RankedChunk[]> {
  if (chunks.length < 2) return [...chunks];
  const results = await reranker.rerank(
    query,
    chunks.map((c) => c.content),
    chunks.length,
    signal,
  );
  const placed = new Set<number>();
  const reranked: RankedChunk[] = [];
  for (const { index, score } of results) {
    if (placed.has(index)) continue;
    placed.add(index);
    reranked.push({ ...chunks[index], score });
  }
  chunks.forEach((chunk, index) => {
    if (!placed.has(index)) reranked.push({ ...chunk, score: 0 });
  });
  return reranked;
}
