import { uniqueBy } from './unique-by';

describe('uniqueBy', () => {
  it('keeps the first item of each key, in order', () => {
    const items = [
      { id: 'a', n: 1 },
      { id: 'b', n: 2 },
      { id: 'a', n: 3 },
      { id: 'c', n: 4 },
      { id: 'b', n: 5 },
    ];
    expect(uniqueBy(items, (item) => item.id).map((item) => item.n)).toEqual([1, 2, 4]);
    expect(uniqueBy([], (item: string) => item)).toEqual([]);
  });
});
