import { uniqueBy } from '@strata/core';
import type { RankedChunk } from './ranked-chunk';

/**
 * The chunks a context holds: the best ones, in rank order, each that still fits `budget` tokens
 * (the best one always does; one that does not fit is skipped, and a smaller one after it may
 * still go in), with repeats of the same text left out. They are then laid out by document —
 * documents in the order of their best chunk, each document's chunks in reading order — so
 * passages of one document read as they were written.
 */
export function selectContext(ranked: readonly RankedChunk[], budget: number): RankedChunk[] {
  const chosen: RankedChunk[] = [];
  let used = 0;
  for (const chunk of distinctTexts(ranked)) {
    if (chosen.length > 0 && used + chunk.token_count > budget) continue;
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

/** Tokens the chunks would take in a context, repeats of the same text counted once. */
export function chunkTokens(ranked: readonly RankedChunk[]): number {
  return distinctTexts(ranked).reduce((sum, chunk) => sum + chunk.token_count, 0);
}

/** The chunks in rank order without those whose text (whitespace and case aside) a better one has. */
function distinctTexts(ranked: readonly RankedChunk[]): RankedChunk[] {
  return uniqueBy(ranked, (chunk) => chunk.content.replace(/\s+/g, ' ').trim().toLowerCase());
}
