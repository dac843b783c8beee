import { DEFAULT_KB_CONFIG } from '@strata/knowledge-bases';
import type { ChunkTextSearch, TextHit } from '@strata/storage';
import type { KbScope } from '@strata/tenancy';
import { ChunkRetriever } from './chunk-retriever';

/** The retriever over a full-text search that answers with fixed hits (its SQL has its own suite). */
function retrieverWith(hits: TextHit[]) {
  const calls: unknown[] = [];
  const text = {
    search: (_scope: KbScope, _query: string, _limit: number, only: unknown) => {
      calls.push(only);
      return Promise.resolve(hits);
    },
  } as unknown as ChunkTextSearch;
  const retriever = new ChunkRetriever(null as never, null as never, null as never, text);
  return { retriever, calls };
}

const scope = {} as KbScope;

describe('ChunkRetriever.rankForQuestion', () => {
  it("fuses the walk's order with the chunks' full-text rank among themselves", async () => {
    const { retriever, calls } = retrieverWith([
      { chunkId: 'c', score: 9 },
      { chunkId: 'b', score: 1 },
    ]);
    const ranked = await retriever.rankForQuestion(scope, DEFAULT_KB_CONFIG, 'q', ['a', 'b', 'c', 'd']);
    // c: walk 3rd, text 1st; b: walk 2nd, text 2nd; a: walk 1st only; d: walk 4th only.
    expect(ranked).toEqual(['c', 'b', 'a', 'd']);
    expect(calls).toEqual([{ chunkIds: ['a', 'b', 'c', 'd'] }]);
  });

  it("breaks full-text ties by the walk's order", async () => {
    const { retriever } = retrieverWith([
      { chunkId: 'z', score: 2 },
      { chunkId: 'y', score: 2 },
    ]);
    expect(await retriever.rankForQuestion(scope, DEFAULT_KB_CONFIG, 'q', ['y', 'z'])).toEqual(['y', 'z']);
  });

  it('keeps the walk order when full text is weighted out, and asks nothing for no chunks', async () => {
    const { retriever, calls } = retrieverWith([{ chunkId: 'b', score: 5 }]);
    const textOff = { ...DEFAULT_KB_CONFIG, query: { ...DEFAULT_KB_CONFIG.query, text_weight: 0 } };
    expect(await retriever.rankForQuestion(scope, textOff, 'q', ['a', 'b'])).toEqual(['a', 'b']);
    expect(await retriever.rankForQuestion(scope, DEFAULT_KB_CONFIG, 'q', [])).toEqual([]);
    expect(calls).toEqual([]);
  });
});
