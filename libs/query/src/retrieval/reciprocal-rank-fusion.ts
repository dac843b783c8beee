export interface RankedList {
  /** Ids, best first. */
  ids: readonly string[];
  weight: number;
}

export interface FusedItem {
  id: string;
  score: number;
}

/**
 * Reciprocal rank fusion: each list gives an item `weight / (k + rank)` (rank from 1), summed over
 * the lists that hold it. Ranks, not raw scores, are combined, so cosine similarities and text
 * ranks need no common scale. Ties keep the order of first appearance.
 */
export function reciprocalRankFusion(lists: readonly RankedList[], k: number): FusedItem[] {
  const scores = new Map<string, number>();
  for (const { ids, weight } of lists) {
    ids.forEach((id, index) => scores.set(id, (scores.get(id) ?? 0) + weight / (k + index + 1)));
  }
  return [...scores.entries()].map(([id, score]) => ({ id, score })).sort((a, b) => b.score - a.score);
}
