/** Graded judgments of one question: document id → grade (> 0 is relevant). */
export type Judgments = ReadonlyMap<string, number>;

/**
 * nDCG at `k` as trec_eval's `ndcg_cut` computes it: the grade is the gain, the discount is
 * log2(rank + 1), and the ideal ranking is the judged documents sorted by grade.
 */
export function ndcgAt(k: number, ranked: readonly string[], judgments: Judgments): number {
  const dcg = (gains: number[]) => gains.reduce((sum, gain, i) => sum + gain / Math.log2(i + 2), 0);
  const ideal = dcg(
    [...judgments.values()]
      .filter((grade) => grade > 0)
      .sort((a, b) => b - a)
      .slice(0, k),
  );
  if (ideal === 0) return 0;
  return dcg(firstDistinct(ranked, k).map((id) => Math.max(0, judgments.get(id) ?? 0))) / ideal;
}

/** Share of the relevant documents found in the first `k`. */
export function recallAt(k: number, ranked: readonly string[], judgments: Judgments): number {
  const relevant = [...judgments.values()].filter((grade) => grade > 0).length;
  if (relevant === 0) return 0;
  return firstDistinct(ranked, k).filter((id) => (judgments.get(id) ?? 0) > 0).length / relevant;
}

/** 1 / rank of the first relevant document within the first `k`, else 0. */
export function reciprocalRankAt(k: number, ranked: readonly string[], judgments: Judgments): number {
  const rank = firstDistinct(ranked, k).findIndex((id) => (judgments.get(id) ?? 0) > 0);
  return rank === -1 ? 0 : 1 / (rank + 1);
}

/** A ranking counts each document once, at its best place. */
function firstDistinct(ranked: readonly string[], k: number): string[] {
  return [...new Set(ranked)].slice(0, k);
}

/** The value at quantile `q` (0..1) of some numbers, nearest rank. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}
