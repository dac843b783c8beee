import { inTurns } from './in-turns';

describe('inTurns', () => {
  it("takes every list's first, then every list's second", () => {
    expect(inTurns([[1, 2, 3], [], [10], [20, 21]])).toEqual([1, 10, 20, 2, 21, 3]);
    expect(inTurns([])).toEqual([]);
  });
});
