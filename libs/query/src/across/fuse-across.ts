import type { GraphRelation, RankedEntity } from '@strata/storage';
import type { GraphFindings } from '../retrieval/graph-retriever';
import type { RankedChunk } from '../retrieval/ranked-chunk';
import { reciprocalRankFusion } from '../retrieval/reciprocal-rank-fusion';

/** What one KB's retrieval found for a question asked of several KBs. */
export interface KbFindings {
  kbId: string;
  chunks: readonly RankedChunk[];
  findings: GraphFindings;
}

export interface FusedFindings {
  chunks: RankedChunk[];
  /** The KB each fused chunk came from. */
  kbOfChunk: Map<string, string>;
  entities: RankedEntity[];
  relations: GraphRelation[];
}

/**
 * One ranking from the rankings of several KBs. Chunks are fused by their rank in their own KB
 * (reciprocal rank fusion, every KB weighted alike), never by score: KBs may embed with different
 * models and each KB's full-text statistics are its own, so their scores share no scale. Entities
 * and relations are taken in turns, each KB's best first; an entity of the same name in two KBs
 * stays twice, since each KB describes it from its own documents.
 */
export function fuseAcross(perKb: readonly KbFindings[], rrfK: number, chunkTopK: number): FusedFindings {
  const kbOfChunk = new Map<string, string>();
  const byId = new Map<string, RankedChunk>();
  for (const { kbId, chunks } of perKb) {
    for (const chunk of chunks) {
      kbOfChunk.set(chunk.id, kbId);
      byId.set(chunk.id, chunk);
    }
  }
  const fused = reciprocalRankFusion(
    perKb.map(({ chunks }) => ({ ids: chunks.map((c) => c.id), weight: 1 })),
    rrfK,
  ).slice(0, chunkTopK);
  return {
    chunks: fused.map(({ id, score }) => ({ ...byId.get(id)!, score })),
    kbOfChunk,
    entities: inTurns(perKb.map((kb) => kb.findings.entities)),
    relations: inTurns(perKb.map((kb) => kb.findings.relations)),
  };
}

/** The items of several ranked lists taken in turns: every list's first, then every list's second... */
export function inTurns<T>(lists: ReadonlyArray<readonly T[]>): T[] {
  const out: T[] = [];
  const longest = Math.max(0, ...lists.map((list) => list.length));
  for (let i = 0; i < longest; i++) {
    for (const list of lists) if (i < list.length) out.push(list[i]);
  }
  return out;
}
