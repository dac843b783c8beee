import { isUuid, newId, parseIdOrSlug, slugify } from './identifiers';

describe('identifiers', () => {
  it('parses uuids (lower-cased) and slugs, and nothing else', () => {
    expect(parseIdOrSlug('0193A8F1-1111-7AAA-8BBB-123456789ABC')).toEqual({
      id: '0193a8f1-1111-7aaa-8bbb-123456789abc',
    });
    expect(parseIdOrSlug('acme-legal')).toEqual({ slug: 'acme-legal' });
    for (const bad of ['', 'a', 'Acme', '-acme', 'a_b', "x' OR 1=1", '../etc', 'a'.repeat(64), 'é']) {
      expect(parseIdOrSlug(bad)).toBeNull();
    }
  });

  it('makes time-ordered uuids', () => {
    const ids = Array.from({ length: 50 }, () => newId());
    expect(ids.every(isUuid)).toBe(true);
    expect([...ids].sort()).toEqual(ids);
  });

  it('derives slugs from names', () => {
    expect(slugify('Legal Docs 2024')).toBe('legal-docs-2024');
    expect(slugify('  Crème brûlée!  ')).toBe('creme-brulee');
    expect(slugify('x')).toBe('kb-x');
    expect(slugify('%%%')).toBe('kb-x');
    expect(slugify('a'.repeat(100))).toHaveLength(63);
  });
});
