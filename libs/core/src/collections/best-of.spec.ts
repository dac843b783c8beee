import { bestOf } from './best-of';

describe('bestOf', () => {
  const byScoreThenId = (a: { score: number; id: number }, b: { score: number; id: number }) =>
    b.score - a.score || a.id - b.id;

  it('answers the first items of the full sort, in order, for every limit', () => {
    // Scores from a fixed sequence with many ties, so the order between equals is tested too.
    const items = Array.from({ length: 500 }, (_, id) => ({ id, score: (id * 7919) % 37 }));
    const sorted = [...items].sort(byScoreThenId);
    for (const limit of [1, 2, 10, 60, 499, 500, 900])
      expect(bestOf(items, limit, byScoreThenId)).toEqual(sorted.slice(0, limit));
  });

  it('leaves its input as it was', () => {
    const items = [3, 1, 2, 3, 1, 2];
    expect(bestOf(items, 3, (a, b) => a - b)).toEqual([1, 1, 2]);
    expect(items).toEqual([3, 1, 2, 3, 1, 2]);
  });

  it('answers nothing for a limit of 0 or no items', () => {
    expect(bestOf([1, 2], 0, (a, b) => a - b)).toEqual([]);
    expect(bestOf([], 5, (a, b) => a - b)).toEqual([]);
  });
});
