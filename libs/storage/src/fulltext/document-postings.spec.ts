import { documentPostings } from './document-postings';

describe("a document's postings", () => {
  it('places only the chunks holding a term, in order, each as long as its frequencies add up to', () => {
    const postings = documentPostings([
      { id: 'a', terms: ['shock', 'wave'], tfs: [2, 1] },
      { id: 'stop-words-only', terms: [], tfs: [] },
      { id: 'b', terms: ['wave', 'nozzl'], tfs: [1, 3] },
    ]);
    expect(postings.chunks).toEqual([
      { id: 'a', length: 3 },
      { id: 'b', length: 4 },
    ]);
    expect(Object.fromEntries(postings.terms)).toEqual({
      shock: { places: [0], tfs: [2] },
      wave: { places: [0, 1], tfs: [1, 1] },
      nozzl: { places: [1], tfs: [3] },
    });
  });

  it('has no chunks and no terms for a document without a term', () => {
    const postings = documentPostings([{ id: 'a', terms: [], tfs: [] }]);
    expect(postings.chunks).toEqual([]);
    expect(postings.terms.size).toBe(0);
  });
});
