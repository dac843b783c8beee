import { embeddedKeywords, parseKeywordAnswer } from './query-keywords';

describe('query keywords', () => {
  it('takes names as low-level and the other content words as high-level keywords', async () => {
    const keywords = await embeddedKeywords('Where is the company that Maria Lopez leads headquartered?');
    expect(keywords.low).toEqual(['Maria Lopez']);
    expect(keywords.high).toEqual(expect.arrayContaining(['company', 'headquartered']));
    expect(keywords.high).not.toContain('maria');
    expect(keywords.high).not.toContain('where');
  });

  it('falls back to the content words for a level the question gives nothing for', async () => {
    const onlyPhrases = await embeddedKeywords('experimental studies on panel flutter.');
    expect(onlyPhrases.low.length).toBeGreaterThan(0);
    expect(onlyPhrases.high).toEqual(expect.arrayContaining(['panel', 'flutter']));
    expect(onlyPhrases.high).not.toContain('on');
    const noNames = await embeddedKeywords('how does scale height vary with altitude in an atmosphere.');
    expect(noNames.high.length).toBeGreaterThan(0);
    expect(noNames.low).toEqual(expect.arrayContaining(['altitude', 'atmosphere']));
  });

  it("reads the model's JSON answer, tolerating fences and chatter", () => {
    expect(
      parseKeywordAnswer(
        'Sure:\n```json\n{"high_level_keywords": ["headquarters", " leadership "], "low_level_keywords": ["Maria Lopez", 3]}\n```',
      ),
    ).toEqual({ high: ['headquarters', 'leadership'], low: ['Maria Lopez'] });
    expect(parseKeywordAnswer('no json here')).toBeNull();
    expect(parseKeywordAnswer('{"high_level_keywords": [], "low_level_keywords": []}')).toBeNull();
    expect(parseKeywordAnswer('{broken')).toBeNull();
  });
});
