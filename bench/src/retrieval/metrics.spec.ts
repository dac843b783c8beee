import { ndcgAt, quantile, recallAt, reciprocalRankAt } from './metrics';

const judged = new Map([
  ['a', 3],
  ['b', 1],
  ['c', 2],
]);

describe('retrieval metrics', () => {
  it('gives nDCG 1 to the ideal ranking and less to any other', () => {
    expect(ndcgAt(10, ['a', 'c', 'b'], judged)).toBeCloseTo(1, 10);
    expect(ndcgAt(10, ['b', 'c', 'a'], judged)).toBeLessThan(1);
    expect(ndcgAt(10, ['x', 'y'], judged)).toBe(0);
  });

  it('computes nDCG with graded gains and a log2 discount', () => {
    // DCG of [c, x, a] = 2/log2(2) + 0 + 3/log2(4); ideal [a, c, b] = 3 + 2/log2(3) + 1/log2(4).
    const expected = (2 + 3 / 2) / (3 + 2 / Math.log2(3) + 1 / 2);
    expect(ndcgAt(10, ['c', 'x', 'a'], judged)).toBeCloseTo(expected, 10);
  });

  it('cuts both the ranking and the ideal at k', () => {
    expect(ndcgAt(1, ['a', 'x'], judged)).toBeCloseTo(1, 10);
    expect(ndcgAt(1, ['x', 'a'], judged)).toBe(0);
    expect(recallAt(2, ['x', 'a', 'c'], judged)).toBeCloseTo(1 / 3, 10);
  });

  it('counts a document once when a ranking repeats it', () => {
    expect(ndcgAt(10, ['a', 'a', 'c', 'b'], judged)).toBeCloseTo(1, 10);
    expect(recallAt(2, ['a', 'a', 'c'], judged)).toBeCloseTo(2 / 3, 10);
  });

  it('takes the reciprocal rank of the first relevant document within k', () => {
    expect(reciprocalRankAt(10, ['x', 'y', 'b'], judged)).toBeCloseTo(1 / 3, 10);
    expect(reciprocalRankAt(2, ['x', 'y', 'b'], judged)).toBe(0);
  });

  it('ignores judgments of grade 0', () => {
    const withZero = new Map([...judged, ['z', 0]]);
    expect(recallAt(10, ['a', 'b', 'c'], withZero)).toBe(1);
    expect(ndcgAt(10, ['z'], withZero)).toBe(0);
  });

  it('takes quantiles by nearest rank', () => {
    expect(quantile([5, 1, 3, 2, 4], 0.5)).toBe(3);
    expect(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.95)).toBe(10);
    expect(quantile([], 0.5)).toBe(0);
  });
});
