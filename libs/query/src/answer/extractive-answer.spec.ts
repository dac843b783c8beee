import { extractiveAnswer } from './extractive-answer';

describe('extractiveAnswer', () => {
  const chunks = [
    { ref: 1, content: 'The cafeteria opens at eight. Lunch is served until two.' },
    { ref: 2, content: '# Revenue\n\nQuarterly revenue grew by nine percent. Costs were flat.' },
  ];

  it('answers in plain sentences: no emphasis, code or link markup from the chunk', () => {
    const markdown = [
      {
        ref: 1,
        content: '# Ferries\n\nThe **Aurora** ferry leaves at `seven`, see [the timetable](https://x).',
      },
    ];
    expect(extractiveAnswer('When does the Aurora ferry leave?', markdown)).toEqual([
      'The Aurora ferry leaves at seven, see the timetable. [1]',
    ]);
  });

  it('answers with the sentences sharing the most question terms, each cited', () => {
    expect(extractiveAnswer('How much did quarterly revenue grow?', chunks)).toEqual([
      'Quarterly revenue grew by nine percent. [2]',
    ]);
  });

  it('gives pieces that join into the answer, as bullets when the response type asks for them', () => {
    const question = 'When does the cafeteria open, and how did revenue grow?';
    const prose = extractiveAnswer(question, chunks);
    expect(prose.length).toBeGreaterThan(1);
    expect(prose.join('')).toMatch(/^[^\n]+\[\d\] [^\n]+\[\d\]$/);
    expect(extractiveAnswer(question, chunks, 'Bullet Points').join('')).toMatch(/^- .+\[\d\]\n- .+\[\d\]$/);
  });

  it('is empty when nothing shares a term, or the question has only stop words', () => {
    expect(extractiveAnswer('volcano eruption', chunks)).toEqual([]);
    expect(extractiveAnswer('what is it?', chunks)).toEqual([]);
  });

  it('prefers sentences about what the graph links the question to', () => {
    const offices = [
      { ref: 1, content: 'Maria Lopez is the chief executive of Northwind Traders.' },
      { ref: 2, content: 'Bluefin Analytics is headquartered in Lisbon.' },
      { ref: 3, content: 'Northwind Traders is headquartered in Oslo.' },
    ];
    const question = 'Where is the company that Maria Lopez leads headquartered?';
    const plain = extractiveAnswer(question, offices).join('');
    expect(plain.indexOf('Lisbon')).toBeLessThan(plain.indexOf('Oslo'));
    const linked = extractiveAnswer(question, offices, '', ['Northwind Traders']).join('');
    expect(linked.indexOf('Oslo')).toBeLessThan(linked.indexOf('Lisbon'));
  });
});
