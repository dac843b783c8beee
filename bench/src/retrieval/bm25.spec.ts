import { analyse, Bm25Index } from './bm25';

describe('BM25 baseline', () => {
  it('lower-cases, drops stop words and stems', () => {
    expect(analyse('The Pressures on a Boundary-Layer')).toEqual(['pressur', 'boundari', 'layer']);
  });

  it('ranks a rare term above a common one', () => {
    const index = new Bm25Index([
      { id: 'common', text: 'pressure pressure flow' },
      { id: 'rare', text: 'creep flow' },
      { id: 'other-1', text: 'pressure wing' },
      { id: 'other-2', text: 'pressure tail' },
    ]);
    expect(index.search('pressure creep', 10)[0].id).toBe('rare');
  });

  it('prefers the shorter of two documents with the same term frequency', () => {
    const index = new Bm25Index([
      { id: 'long', text: 'shock wave with many more words about other things entirely here' },
      { id: 'short', text: 'shock wave' },
      { id: 'none', text: 'laminar flow' },
    ]);
    expect(index.search('shock', 10).map((hit) => hit.id)).toEqual(['short', 'long']);
  });

  it('saturates term frequency', () => {
    const index = new Bm25Index([
      { id: 'one', text: 'nozzle' },
      { id: 'ten', text: Array(10).fill('nozzle').join(' ') },
      { id: 'none', text: 'wing' },
    ]);
    const [ten, one] = index.search('nozzle', 10);
    expect(ten.id).toBe('ten');
    expect(ten.score / one.score).toBeLessThan(2.2);
  });

  it('finds nothing for a query of stop words or unknown terms', () => {
    const index = new Bm25Index([{ id: 'd', text: 'heat transfer' }]);
    expect(index.search('the of and', 10)).toEqual([]);
    expect(index.search('zeppelin', 10)).toEqual([]);
  });
});
