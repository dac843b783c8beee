import { plainText, referenceSnippet } from './plain-text';

describe('referenceSnippet', () => {
  it('drops markdown markup and runs whitespace together', () => {
    const chunk =
      '# Travel\n\n## Flights\n\n- Book **economy** for flights under *six* hours.\n> See [the policy](https://x.example/p).\n\n`code` and ~~old~~ text';
    expect(referenceSnippet(chunk)).toBe(
      'Travel Flights Book economy for flights under six hours. See the policy. code and old text',
    );
  });

  it('keeps table cells as words and numbered steps as sentences', () => {
    expect(referenceSnippet('| Plan | Price |\n|---|---:|\n| Standard | 1,200 |')).toBe(
      'Plan Price Standard 1,200',
    );
    expect(referenceSnippet('1. Open the valve.\n2) Close it.')).toBe('Open the valve. Close it.');
  });

  it('keeps a lone asterisk or underscore inside words, as in 2*3 or snake_case', () => {
    expect(referenceSnippet('2 * 3 and snake_case_name')).toBe('2 * 3 and snake_case_name');
  });

  it('cuts long text at a word boundary with an ellipsis, and only when it goes on', () => {
    const words = 'alpha beta gamma delta epsilon '.repeat(20);
    const snippet = referenceSnippet(words, 50);
    expect(snippet.length).toBeLessThanOrEqual(51);
    expect(snippet.endsWith('…')).toBe(true);
    expect(words.startsWith(snippet.slice(0, -1))).toBe(true);
    expect(words).toContain(`${snippet.slice(0, -1)} `);
    expect(referenceSnippet('short text', 50)).toBe('short text');
  });

  it('cuts a single overlong word where the limit falls', () => {
    expect(referenceSnippet(`https://example.com/${'a'.repeat(100)}`, 30)).toBe(
      `https://example.com/${'a'.repeat(10)}…`,
    );
  });
});

describe('plainText', () => {
  it('keeps the lines, so sentences and paragraphs stay apart', () => {
    expect(plainText('# Ferries\n\nThe **Aurora** leaves at `seven`.\n- Book [here](https://x).')).toBe(
      'Ferries\n\nThe Aurora leaves at seven.\nBook here.',
    );
  });
});
