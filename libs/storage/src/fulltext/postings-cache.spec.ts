import { testKbScope } from '../../../../test/support/scopes';
import { KbPostings, PostingsCache } from './postings-cache';

/** A KB's postings at a version, holding `size` postings of one term. */
function kbOf(version: string, size: number): KbPostings {
  const kb = new KbPostings(version);
  const numbers = new Int32Array(size);
  kb.add('term', { chunks: numbers, tfs: numbers });
  return kb;
}

/** KB `kb` of tenant `tenant`. */
const at = (tenant: string, kb: string) => testKbScope(`tenant-${tenant}`, `kb-${kb}`);

describe('PostingsCache', () => {
  it('answers what it keeps, per KB and tenant', () => {
    const cache = new PostingsCache(100);
    const kb = kbOf('3', 10);
    cache.keep(at('t', 'a'), kb);
    expect(cache.peek(at('t', 'a'))).toBe(kb);
    expect(cache.peek(at('t', 'b'))).toBeUndefined();
    expect(cache.peek(at('u', 'a'))).toBeUndefined();
  });

  it('counts a term once, and keeps the count of a KB kept again', () => {
    const cache = new PostingsCache(100);
    const kb = kbOf('1', 10);
    kb.add('term', { chunks: new Int32Array(5), tfs: new Int32Array(5) });
    cache.keep(at('t', 'a'), kb);
    cache.keep(at('t', 'a'), kb);
    expect(cache.postings).toBe(10);
  });

  it("lets a tenant's least recently searched KBs go past its bound", () => {
    const cache = new PostingsCache(100);
    cache.keep(at('t', 'a'), kbOf('1', 40));
    cache.keep(at('t', 'b'), kbOf('1', 40));
    cache.keep(at('t', 'a'), cache.peek(at('t', 'a'))!);
    cache.keep(at('t', 'c'), kbOf('1', 40));
    expect(cache.peek(at('t', 'b'))).toBeUndefined();
    expect(cache.peek(at('t', 'a'))).toBeDefined();
    expect(cache.peek(at('t', 'c'))).toBeDefined();
    expect(cache.postings).toBe(80);
  });

  it('takes from the tenant holding the most, never from one that holds less', () => {
    const cache = new PostingsCache(100);
    cache.keep(at('small', 'a'), kbOf('1', 20));
    // The large tenant searches three KBs after the small one, which is now the least recent.
    cache.keep(at('large', 'x'), kbOf('1', 40));
    cache.keep(at('large', 'y'), kbOf('1', 40));
    cache.keep(at('large', 'z'), kbOf('1', 40));
    expect(cache.peek(at('small', 'a'))).toBeDefined();
    expect(cache.peek(at('large', 'x'))).toBeUndefined();
    expect(cache.postings).toBe(100);
    // Once the small tenant holds the most, its own least recent KB goes.
    cache.keep(at('small', 'b'), kbOf('1', 45));
    cache.keep(at('small', 'c'), kbOf('1', 45));
    expect(cache.peek(at('small', 'a'))).toBeUndefined();
    expect(cache.peek(at('small', 'c'))).toBeDefined();
  });

  it('keeps no KB larger than its share of the bound', () => {
    const cache = new PostingsCache(100, 0.5);
    cache.keep(at('t', 'a'), kbOf('1', 30));
    cache.keep(at('t', 'big'), kbOf('1', 60));
    expect(cache.peek(at('t', 'big'))).toBeUndefined();
    expect(cache.peek(at('t', 'a'))).toBeDefined();
  });
});
