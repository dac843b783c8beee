import { KbPostings, PostingsCache } from './postings-cache';

/** A KB's postings at a version, holding `size` postings of one term. */
function kbOf(version: string, size: number): KbPostings {
  const kb = new KbPostings(version);
  const numbers = new Int32Array(size);
  kb.add('term', { chunks: numbers, tfs: numbers, lengths: numbers });
  return kb;
}

describe('PostingsCache', () => {
  it('answers what it keeps, per KB', () => {
    const cache = new PostingsCache(100);
    const kb = kbOf('3', 10);
    cache.keep('t:a', kb);
    expect(cache.peek('t:a')).toBe(kb);
    expect(cache.peek('t:b')).toBeUndefined();
  });

  it('counts a term once, and keeps the count of a KB kept again', () => {
    const cache = new PostingsCache(100);
    const kb = kbOf('1', 10);
    kb.add('term', {
      chunks: new Int32Array(5),
      tfs: new Int32Array(5),
      lengths: new Int32Array(5),
    });
    cache.keep('t:a', kb);
    cache.keep('t:a', kb);
    expect(cache.postings).toBe(10);
  });

  it('lets the least recently searched KBs go past its bound', () => {
    const cache = new PostingsCache(100);
    cache.keep('t:a', kbOf('1', 40));
    cache.keep('t:b', kbOf('1', 40));
    cache.keep('t:a', cache.peek('t:a')!);
    cache.keep('t:c', kbOf('1', 40));
    expect(cache.peek('t:b')).toBeUndefined();
    expect(cache.peek('t:a')).toBeDefined();
    expect(cache.peek('t:c')).toBeDefined();
    expect(cache.postings).toBe(80);
  });

  it('keeps no KB larger than its share of the bound', () => {
    const cache = new PostingsCache(100, 0.5);
    cache.keep('t:a', kbOf('1', 30));
    cache.keep('t:big', kbOf('1', 60));
    expect(cache.peek('t:big')).toBeUndefined();
    expect(cache.peek('t:a')).toBeDefined();
  });
});
