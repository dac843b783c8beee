import { countTokens, tokenizer } from './tokenizer';

describe('tokenizer (cl100k_base)', () => {
  it("gives cl100k's token ids", () => {
    expect(tokenizer().encode('hello world')).toEqual([15339, 1917]);
    expect(countTokens('Strata ingests documents.')).toBe(
      tokenizer().encode('Strata ingests documents.').length,
    );
  });

  it('decodes what it encodes, whatever the script', () => {
    const text = 'naïve café 東京 😀 tabs\tand  spaces\n\n# Heading';
    expect(tokenizer().decode(tokenizer().encode(text))).toBe(text);
  });
});
