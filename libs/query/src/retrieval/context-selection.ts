import type { RankedChunk } from './ranked-chunk';

/**
 * The chunks a context holds: the best ones, in rank order, as long as they fit `budget` tokens
 * (the best one always does), with repeats of the same text left out. They are then laid out by
 * document — documents in the order of their best chunk, each document's chunks in reading order —
 * so passages of one document read as they were written.
 */
export function selectContext(ranked: readonly RankedChunk[], budget: number): RankedChunk[] {
  const chosen: RankedChunk[] = [];
  const seen = new Set<string>();
  let used = 0;
  for (const chunk of ranked) {
    const key = chunk.content.replace(/\s+/g, ' ').trim().toLowerCase();
    if (seen.has(key)) continue;
    if (chosen.length > 0 && used + chunk.token_count > budget) break;
    seen.add(key);
    chosen.push(chunk);
    used += chunk.token_count;
  }
  const documentRank = new Map<string, number>();
  chosen.forEach((chunk, rank) => {
    if (!documentRank.has(chunk.document_id)) documentRank.set(chunk.document_id, rank);
  });
  return chosen.sort(
    (a, b) => documentRank.get(a.document_id)! - documentRank.get(b.document_id)! || a.ordinal - b.ordinal,
  );
}
