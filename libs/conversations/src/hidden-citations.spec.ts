import { citesHidden, withholdingHidden } from './hidden-citations';

const HIDDEN = 'aaaaaaaa-0000-4000-8000-000000000001';
const OPEN = 'aaaaaaaa-0000-4000-8000-000000000002';

describe('answers citing hidden documents', () => {
  const turn = {
    question: 'What are the salary bands?',
    answer: 'Band 7 pays [1]; travel is [2].',
    references: [
      { id: 1, document_id: HIDDEN, snippet: 'band 7' },
      { id: 2, document_id: OPEN, snippet: 'travel' },
    ],
  };

  it('withholds the text and the hidden references, keeping the question', () => {
    const seen = withholdingHidden(turn, new Set([HIDDEN]));
    expect(seen).toEqual({
      question: 'What are the salary bands?',
      answer: null,
      references: [{ id: 2, document_id: OPEN, snippet: 'travel' }],
      withheld: true,
    });
  });

  it('leaves an answer citing only visible documents as it is', () => {
    expect(withholdingHidden(turn, new Set([OPEN.replace('2', '9')]))).toEqual({ ...turn, withheld: false });
    expect(withholdingHidden(turn, new Set())).toEqual({ ...turn, withheld: false });
  });

  it('tells whether references cite a hidden document, whatever their shape', () => {
    expect(citesHidden([null, 3, { id: 1 }], new Set([HIDDEN]))).toBe(false);
    expect(citesHidden([{ document_id: HIDDEN }], new Set([HIDDEN]))).toBe(true);
  });
});
