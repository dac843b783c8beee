import type { RankedEntity } from '@strata/storage';
import { NO_FINDINGS } from '../retrieval/graph-retriever';
import type { RankedChunk } from '../retrieval/ranked-chunk';
import { fuseAcross, inTurns } from './fuse-across';

const chunk = (id: string, score: number): RankedChunk => ({
  id,
  document_id: `doc-${id}`,
  ordinal: 0,
  content: id,
  token_count: 1,
  title: id,
  score,
});
const entity = (key: string) => ({ key, name: key }) as unknown as RankedEntity;

describe('fuseAcross', () => {
  it('ranks by rank within each KB, whatever the scores: a KB with small scores still leads its turn', () => {
    const fused = fuseAcross(
      [
        { kbId: 'a', chunks: [chunk('a1', 0.001), chunk('a2', 0.0005)], findings: NO_FINDINGS },
        { kbId: 'b', chunks: [chunk('b1', 0.9), chunk('b2', 0.8), chunk('b3', 0.7)], findings: NO_FINDINGS },
      ],
      60,
      10,
    );
    expect(fused.chunks.map((c) => c.id)).toEqual(['a1', 'b1', 'a2', 'b2', 'b3']);
    expect(fused.chunks[0].score).toBeCloseTo(1 / 61, 10);
    expect(Object.fromEntries(fused.kbOfChunk)).toEqual({ a1: 'a', a2: 'a', b1: 'b', b2: 'b', b3: 'b' });
  });

  it('keeps chunk_top_k chunks, and takes entities and relations in turns without merging namesakes', () => {
    const fused = fuseAcross(
      [
        {
          kbId: 'a',
          chunks: [chunk('a1', 1), chunk('a2', 1)],
          findings: { ...NO_FINDINGS, entities: [entity('acme'), entity('bolt')] },
        },
        { kbId: 'b', chunks: [chunk('b1', 1)], findings: { ...NO_FINDINGS, entities: [entity('acme')] } },
      ],
      60,
      2,
    );
    expect(fused.chunks.map((c) => c.id)).toEqual(['a1', 'b1']);
    expect(fused.entities.map((e) => e.key)).toEqual(['acme', 'acme', 'bolt']);
  });
});

describe('inTurns', () => {
  it("takes every list's first, then every list's second", () => {
    expect(inTurns([[1, 2, 3], [], [10], [20, 21]])).toEqual([1, 10, 20, 2, 21, 3]);
    expect(inTurns([])).toEqual([]);
  });
});
