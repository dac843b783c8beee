import { slices, slicesOfBytes } from './slices';

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

describe('slicesOfBytes', () => {
  const words = (items: string[], limit: number, maxItems?: number) => [
    ...slicesOfBytes(items, (w) => w.length, limit, maxItems),
  ];

  it('fills each slice up to the byte limit, in order', () => {
    expect(words(['aa', 'bb', 'c', 'dddd', 'e'], 5)).toEqual([
      ['aa', 'bb', 'c'],
      ['dddd', 'e'],
    ]);
    expect(words(['aaaaa', 'b'], 5)).toEqual([['aaaaa'], ['b']]);
  });

  it('cuts at the item count too, whichever bound comes first', () => {
    expect(words(['a', 'b', 'c', 'dddd', 'e'], 5, 2)).toEqual([['a', 'b'], ['c', 'dddd'], ['e']]);
    expect(words(['a', 'b', 'c', 'd', 'e'], 100, 2)).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
  });

  it('puts an item larger than the limit in a slice of its own, and yields nothing for none', () => {
    expect(words(['a', 'bbbbbbb', 'c'], 3)).toEqual([['a'], ['bbbbbbb'], ['c']]);
    expect(words([], 3)).toEqual([]);
  });
});
