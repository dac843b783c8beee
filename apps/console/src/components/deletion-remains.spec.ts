import { remainsText } from './deletion-remains';

describe('remainsText', () => {
  it('names the stores that still hold something, in store order', () => {
    expect(remainsText({ documents: 1, chunks: 3, vectors: 3, graph_mentions: 0, blobs: 1 })).toBe(
      '1 document row, 3 chunks, 3 vectors, 1 original',
    );
  });

  it('says nothing is left when every store is empty', () => {
    expect(remainsText({ documents: 0, chunks: 0, vectors: 0, graph_mentions: 0, blobs: 0 })).toBe('nothing');
  });
});
