import type { Reranker } from '@strata/providers';
import type { RankedChunk } from './ranked-chunk';
import { rerankChunks } from './rerank-chunks';

const chunk = (id: string): RankedChunk => ({
  id,
  document_id: 'd',
  ordinal: 0,
  content: `content ${id}`,
  token_count: 1,
  title: 't',
  score: 0.5,
});

/** A reranker that answers what the test says, and remembers what it was asked. */
const scripted = (results: Array<{ index: number; score: number }>) => {
  const calls: string[][] = [];
  const reranker: Reranker = {
    model: 'scripted',
    rerank: async (_query, documents) => {
      calls.push([...documents]);
      return results;
    },
  };
  return { reranker, calls };
};

describe('rerankChunks', () => {
  it("puts the chunks in the provider's order with its scores", async () => {
    const { reranker, calls } = scripted([
      { index: 2, score: 0.9 },
      { index: 0, score: 0.4 },
      { index: 1, score: 0.1 },
    ]);
    const reranked = await rerankChunks(reranker, 'q', [chunk('a'), chunk('b'), chunk('c')]);
    expect(reranked.map((c) => [c.id, c.score])).toEqual([
      ['c', 0.9],
      ['a', 0.4],
      ['b', 0.1],
    ]);
    expect(calls).toEqual([['content a', 'content b', 'content c']]);
  });

  it('keeps chunks the provider left out (in fused order, scored 0), and ignores repeated indexes', async () => {
    const { reranker } = scripted([
      { index: 1, score: 0.8 },
      { index: 1, score: 0.7 },
    ]);
    const reranked = await rerankChunks(reranker, 'q', [chunk('a'), chunk('b'), chunk('c')]);
    expect(reranked.map((c) => [c.id, c.score])).toEqual([
      ['b', 0.8],
      ['a', 0],
      ['c', 0],
    ]);
  });

  it('does not call the provider for fewer than two chunks', async () => {
    const { reranker, calls } = scripted([]);
    expect(await rerankChunks(reranker, 'q', [chunk('a')])).toEqual([chunk('a')]);
    expect(calls).toEqual([]);
  });
});
