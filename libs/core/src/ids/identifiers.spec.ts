import { v5 as uuidv5 } from 'uuid';
import { isUuid, nameBasedIds, newId, parseIdOrSlug, slugify } from './identifiers';

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

  it('makes the same name-based ids as UUIDv5 always did (stored ids depend on it)', () => {
    const namespace = '0f4b8f3e-2d2a-4b8e-8a57-6f1d5c3e9b21';
    const ids = nameBasedIds(namespace);
    for (const name of [
      '',
      'kb:entity:acme',
      'kb:relation:a\u0000b',
      'Crème brûlée ✓ 東京',
      'x'.repeat(5000),
    ]) {
      expect(ids(name)).toBe(uuidv5(name, namespace));
    }
    // RFC 4122's own example: the DNS namespace and www.example.com.
    expect(nameBasedIds('6ba7b810-9dad-11d1-80b4-00c04fd430c8')('www.example.com')).toBe(
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
  });

  it('derives slugs from names', () => {
    expect(slugify('Legal Docs 2024')).toBe('legal-docs-2024');
    expect(slugify('  Crème brûlée!  ')).toBe('creme-brulee');
    expect(slugify('x')).toBe('kb-x');
    expect(slugify('%%%')).toBe('kb-x');
    expect(slugify('a'.repeat(100))).toHaveLength(63);
  });
});
