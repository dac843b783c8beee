import { extractiveAnswer } from './extractive-answer';

describe('extractiveAnswer', () => {
  const chunks = [
    { ref: 1, content: 'The cafeteria opens at eight. Lunch is served until two.' },
    { ref: 2, content: '# Revenue\n\nQuarterly revenue grew by nine percent. Costs were flat.' },
  ];

  it('answers with the sentences sharing the most question terms, each cited', () => {
    expect(extractiveAnswer('How much did quarterly revenue grow?', chunks)).toBe(
      'Quarterly revenue grew by nine percent. [2]',
    );
  });

  it('is empty when nothing shares a term, or the question has only stop words', () => {
    expect(extractiveAnswer('volcano eruption', chunks)).toBe('');
    expect(extractiveAnswer('what is it?', chunks)).toBe('');
  });
});
