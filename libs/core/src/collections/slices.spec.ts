import { slices } from './slices';

describe('slices', () => {
  it('cuts a list into consecutive slices of at most the size, the last one shorter', () => {
    expect([...slices([1, 2, 3, 4, 5], 2)]).toEqual([[1, 2], [3, 4], [5]]);
    expect([...slices([1, 2, 3, 4], 2)]).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect([...slices(['a'], 250)]).toEqual([['a']]);
  });

  it('yields nothing for an empty list, and refuses a size that would never advance', () => {
    expect([...slices([], 3)]).toEqual([]);
    expect(() => [...slices([1], 0)]).toThrow(RangeError);
    expect(() => [...slices([1], 1.5)]).toThrow(RangeError);
  });
});
