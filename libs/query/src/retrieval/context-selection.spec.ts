import { chunkTokens, selectContext } from './context-selection';
import type { RankedChunk } from './ranked-chunk';

const chunk = (
  id: string,
  documentId: string,
  ordinal: number,
  tokens = 10,
  content = `text ${id}`,
): RankedChunk => ({
  id,
  document_id: documentId,
  ordinal,
  content,
  token_count: tokens,
  title: documentId,
  score: 0,
});

describe('selectContext', () => {
  it('keeps the best chunks that fit the budget, always at least the best one', () => {
    const ranked = [chunk('a', 'd1', 0, 60), chunk('b', 'd2', 0, 30), chunk('c', 'd3', 0, 30)];
    expect(selectContext(ranked, 100).map((c) => c.id)).toEqual(['a', 'b']);
    expect(selectContext([chunk('huge', 'd1', 0, 5000)], 100).map((c) => c.id)).toEqual(['huge']);
    expect(selectContext([], 100)).toEqual([]);
  });

  it('skips a chunk that does not fit and takes a smaller one after it', () => {
    const ranked = [chunk('a', 'd1', 0, 50), chunk('big', 'd2', 0, 80), chunk('c', 'd3', 0, 40)];
    expect(selectContext(ranked, 100).map((c) => c.id)).toEqual(['a', 'c']);
  });

  it('counts the tokens of distinct texts', () => {
    const ranked = [chunk('a', 'd1', 0, 10, 'Same'), chunk('b', 'd2', 0, 10, 'same'), chunk('c', 'd3', 0, 7)];
    expect(chunkTokens(ranked)).toBe(17);
  });

  it('leaves out a chunk whose text repeats a better one (whitespace and case aside)', () => {
    const ranked = [
      chunk('a', 'd1', 0, 10, 'Same  words.'),
      chunk('b', 'd2', 3, 10, 'same words.'),
      chunk('c', 'd2', 4),
    ];
    expect(selectContext(ranked, 100).map((c) => c.id)).toEqual(['a', 'c']);
  });

  it("lays chunks out by document, in the order of each document's best chunk, then in reading order", () => {
    const ranked = [
      chunk('d2-5', 'd2', 5),
      chunk('d1-2', 'd1', 2),
      chunk('d2-1', 'd2', 1),
      chunk('d1-0', 'd1', 0),
    ];
    expect(selectContext(ranked, 1000).map((c) => c.id)).toEqual(['d2-1', 'd2-5', 'd1-0', 'd1-2']);
  });
});
