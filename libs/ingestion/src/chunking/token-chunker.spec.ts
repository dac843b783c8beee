import { chunkText } from './token-chunker';
import { countTokens } from '@strata/providers';

const paragraph = (i: number, words = 40) =>
  Array.from({ length: words }, (_, w) => `word${i}x${w}`).join(' ') + '.';

describe('chunkText', () => {
  it('keeps a short text in one chunk, counting its tokens as an upper bound', () => {
    const text = 'Hello world.\n\nSecond paragraph.';
    const chunks = chunkText(text, { chunkSize: 100, chunkOverlap: 10 });
    expect(chunks).toHaveLength(1);
    expect(chunks[0]).toMatchObject({ ordinal: 0, content: text, heading: null });
    // A blank line may merge with the token before it, so the sum of the parts can be one more.
    expect(chunks[0].tokenCount).toBeGreaterThanOrEqual(countTokens(text));
    expect(chunks[0].tokenCount).toBeLessThanOrEqual(countTokens(text) + 1);
  });

  it('never exceeds the chunk size, covers every paragraph and overlaps consecutive chunks', () => {
    const text = Array.from({ length: 30 }, (_, i) => paragraph(i)).join('\n\n');
    const chunks = chunkText(text, { chunkSize: 200, chunkOverlap: 20 });
    expect(chunks.length).toBeGreaterThan(3);
    for (const chunk of chunks) {
      expect(chunk.tokenCount).toBeLessThanOrEqual(200);
      expect(countTokens(chunk.content)).toBeLessThanOrEqual(chunk.tokenCount);
    }
    for (let i = 0; i < 30; i++) expect(chunks.some((c) => c.content.includes(`word${i}x39.`))).toBe(true);
    // The start of each next chunk repeats the end of the previous one.
    for (let i = 1; i < chunks.length; i++) {
      const head = chunks[i].content.slice(0, 30);
      expect(chunks[i - 1].content).toContain(head.trim().split(' ').slice(1, 3).join(' '));
    }
    expect(chunks.map((c) => c.ordinal)).toEqual(chunks.map((_, i) => i));
  });

  it('splits an over-long paragraph at sentence ends, and an over-long sentence by tokens', () => {
    const sentences = Array.from(
      { length: 20 },
      (_, i) => `Sentence number ${i} talks about topic ${i}.`,
    ).join(' ');
    const chunks = chunkText(sentences, { chunkSize: 50, chunkOverlap: 0 });
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.every((c) => c.tokenCount <= 50)).toBe(true);
    expect(chunks[0].content.endsWith('.')).toBe(true);
    const noSpaces = 'x'.repeat(2000);
    const long = chunkText(noSpaces, { chunkSize: 100, chunkOverlap: 0 });
    expect(long.every((c) => c.tokenCount <= 100)).toBe(true);
    expect(long.map((c) => c.content).join('')).toBe(noSpaces);
  });

  it('starts a new chunk at a markdown heading and records the heading path', () => {
    const text = [
      '# Setup',
      paragraph(1, 60),
      '## Requirements',
      paragraph(2, 60),
      '# Usage',
      paragraph(3, 60),
    ].join('\n\n');
    const chunks = chunkText(text, { chunkSize: 300, chunkOverlap: 20 });
    expect(chunks.map((c) => c.heading)).toEqual(['Setup', 'Setup > Requirements', 'Usage']);
    expect(chunks[1].content.startsWith('## Requirements')).toBe(true);
  });

  it('refuses an overlap as large as the chunk', () => {
    expect(() => chunkText('x', { chunkSize: 10, chunkOverlap: 10 })).toThrow(/overlap/);
  });

  it('returns no chunk for empty text', () => {
    expect(chunkText('', { chunkSize: 10, chunkOverlap: 1 })).toEqual([]);
  });
});
