import type { PreparedQuery, QueryResponse } from '@strata/query';
import { lastTurns, lightRagReferences, lightRagResponseText } from './lightrag-query';

const turn = (n: number) => [
  { role: 'user', content: `question ${n}` },
  { role: 'assistant', content: `answer ${n}` },
];

describe('lastTurns', () => {
  const history = [...turn(1), ...turn(2), ...turn(3)];

  it('keeps the last n user turns with what answered them', () => {
    expect(lastTurns(history, 1)).toEqual(turn(3));
    expect(lastTurns(history, 2)).toEqual([...turn(2), ...turn(3)]);
  });

  it('keeps everything without a limit or with one past the start, nothing with 0', () => {
    expect(lastTurns(history, undefined)).toEqual(history);
    expect(lastTurns(history, 10)).toEqual(history);
    expect(lastTurns(history, 0)).toEqual([]);
  });
});

describe('LightRAG response shapes', () => {
  const prepared = {
    references: [{ id: 1, document_id: 'd1', title: 'Finance', chunk_id: 'c1', score: 1, snippet: 'Rev' }],
    chunks: [{ content: 'Revenue grew nine percent.' }],
  } as unknown as PreparedQuery;

  it('lists references per cited chunk, with its text only when asked, or null when not wanted', () => {
    expect(lightRagReferences(prepared, { query: 'q' })).toEqual([
      { reference_id: '1', file_path: 'Finance', document_id: 'd1' },
    ]);
    expect(lightRagReferences(prepared, { query: 'q', include_chunk_content: true })).toEqual([
      { reference_id: '1', file_path: 'Finance', document_id: 'd1', content: ['Revenue grew nine percent.'] },
    ]);
    expect(lightRagReferences(prepared, { query: 'q', include_references: false })).toBeNull();
  });

  it('answers the context or the prompt in `response` when only those were asked for', () => {
    const answer = { answer: 'Nine percent [1].' } as QueryResponse;
    expect(lightRagResponseText(answer)).toBe('Nine percent [1].');
    expect(lightRagResponseText({ ...answer, answer: null, context: 'the context' })).toBe('the context');
    expect(lightRagResponseText({ ...answer, answer: null, prompt: 'the prompt' })).toBe('the prompt');
  });
});
