import { LEXICAL_DIMENSION, LexicalEmbedder, tokenize } from './lexical-embedder';

const cosine = (a: number[], b: number[]) => a.reduce((sum, v, i) => sum + v * b[i], 0);

describe('LexicalEmbedder', () => {
  const embedder = new LexicalEmbedder();

  it('is deterministic, normalised and of its declared dimension', async () => {
    const [a, b] = await embedder.embed(['The quarterly revenue grew', 'The quarterly revenue grew']);
    expect(a).toHaveLength(LEXICAL_DIMENSION);
    expect(a).toEqual(b);
    expect(Math.sqrt(cosine(a, a))).toBeCloseTo(1, 6);
  });

  it('ranks texts sharing words and word forms above unrelated ones', () => {
    const query = embedder.embedOne('revenue growth in the third quarter');
    const related = embedder.embedOne('Third-quarter revenue grew by nine percent');
    const unrelated = embedder.embedOne('The cafeteria menu lists soup and bread');
    expect(cosine(query, related)).toBeGreaterThan(cosine(query, unrelated) + 0.2);
  });

  it('damps repetition: a word said ten times does not outweigh the rest of the text', () => {
    const query = embedder.embedOne('invoice payment terms');
    const spammy = embedder.embedOne(`${'invoice '.repeat(10)}weather`);
    const balanced = embedder.embedOne('invoice payment terms are thirty days');
    expect(cosine(query, balanced)).toBeGreaterThan(cosine(query, spammy));
  });

  it('gives an empty text the zero vector rather than NaN', () => {
    expect(embedder.embedOne('  ... !!! ').every((v) => v === 0)).toBe(true);
  });

  it('tokenizes letters and digits of any script, lower-cased', () => {
    expect(tokenize('Größe 42, naïve Café — 東京!')).toEqual(['größe', '42', 'naïve', 'café', '東京']);
  });
});
