import { MAX_DESCRIPTION_CHARS, mergeDescriptions, mergeKeywords } from './graph-merger.service';

describe('merging descriptions and keywords', () => {
  it('joins short descriptions', async () => {
    expect(await mergeDescriptions('Oslo', ['A city.', 'Capital of Norway.'], null)).toBe(
      'A city.\nCapital of Norway.',
    );
  });

  it('summarises long ones with the LLM when there is one, else cuts after a whole sentence', async () => {
    const long = Array.from({ length: 80 }, (_, i) => `Fact number ${i} about the subject.`);
    const asked: Array<[string, number]> = [];
    const summary = await mergeDescriptions('Oslo', long, {
      summarise: async (subject, descriptions) => {
        asked.push([subject, descriptions.length]);
        return ' A short summary. ';
      },
    });
    expect(summary).toBe('A short summary.');
    expect(asked).toEqual([['Oslo', 80]]);
    const cut = await mergeDescriptions('Oslo', long, null);
    expect(cut.length).toBeLessThanOrEqual(MAX_DESCRIPTION_CHARS);
    expect(cut).toMatch(/subject\.$/);
  });

  it('keeps each keyword once, case aside, in the order first seen', () => {
    expect(mergeKeywords(['leadership, employment', 'Leadership', 'family,  ,employment'])).toBe(
      'leadership, employment, family',
    );
  });
});
