import { reciprocalRankFusion } from './reciprocal-rank-fusion';

describe('reciprocalRankFusion', () => {
  it('favours items ranked well by both lists', () => {
    const fused = reciprocalRankFusion(
      [
        { ids: ['a', 'b', 'c'], weight: 1 },
        { ids: ['c', 'b', 'd'], weight: 1 },
      ],
      60,
    );
    // c (ranks 3 and 1) edges out b (2 and 2); both beat items only one list has.
    expect(fused.map((f) => f.id)).toEqual(['c', 'b', 'a', 'd']);
    expect(fused[0].score).toBeCloseTo(1 / 63 + 1 / 61, 10);
    expect(fused[1].score).toBeCloseTo(2 / 62, 10);
  });

  it('lets a weight tilt the balance, and keeps first-seen order on ties', () => {
    const lists = [
      { ids: ['vector-top'], weight: 1 },
      { ids: ['text-top'], weight: 2 },
    ];
    expect(reciprocalRankFusion(lists, 60).map((f) => f.id)).toEqual(['text-top', 'vector-top']);
    expect(
      reciprocalRankFusion(
        [
          { ids: ['x'], weight: 1 },
          { ids: ['y'], weight: 1 },
        ],
        60,
      ).map((f) => f.id),
    ).toEqual(['x', 'y']);
  });

  it('returns nothing for empty lists', () => {
    expect(reciprocalRankFusion([{ ids: [], weight: 1 }], 60)).toEqual([]);
  });
});
