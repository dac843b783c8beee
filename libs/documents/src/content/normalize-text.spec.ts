import { contentHash, normalizeText } from './normalize-text';

describe('normalizeText', () => {
  it('canonicalises line ends, trailing spaces, blank runs, control characters and Unicode form', () => {
    expect(normalizeText('\r\n  Caf\u0065\u0301  \r\n\r\n\r\n\r\nline\u0007 two \t\n\n')).toBe(
      'Café\n\nline two',
    );
  });

  it('gives the same hash to the same text however it was encoded', () => {
    expect(contentHash(normalizeText('a\r\nb\n'))).toBe(contentHash(normalizeText('a\nb')));
    expect(contentHash(normalizeText('a b'))).not.toBe(contentHash(normalizeText('a  b')));
    expect(contentHash('x')).toMatch(/^[0-9a-f]{64}$/);
  });
});
