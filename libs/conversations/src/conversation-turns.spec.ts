import type { QueryResponse } from '@strata/query';
import { historyOf, titleFrom, turnOf, UNTITLED } from './conversation-turns';

const answer = {
  answer: 'Economy [1].',
  answer_source: 'llm',
  mode: 'naive',
  references: [
    {
      id: 1,
      knowledge_base_id: 'kb',
      document_id: 'd',
      title: 'Travel',
      chunk_id: 'c',
      score: 1,
      snippet: 'Book economy',
    },
  ],
  entities: [],
  relations: [],
  usage: { llm_tokens_in: 10 },
  timings_ms: { total: 5 },
  warnings: [],
} as QueryResponse;

describe('conversation turns', () => {
  it('turns stored exchanges (newest first) into history, oldest first', () => {
    expect(
      historyOf([
        { question: 'second?', answer: 'two' },
        { question: 'first?', answer: 'one' },
      ]),
    ).toEqual([
      { role: 'user', content: 'first?' },
      { role: 'assistant', content: 'one' },
      { role: 'user', content: 'second?' },
      { role: 'assistant', content: 'two' },
    ]);
  });

  it('names a conversation by its first question, cut at a word', () => {
    expect(titleFrom('  Which class\nfor short flights?')).toBe('Which class');
    const long =
      'How should employees book flights that are longer than six hours when travelling on company business abroad?';
    const title = titleFrom(long);
    expect(title.endsWith('…')).toBe(true);
    expect(title.length).toBeLessThanOrEqual(81);
    expect(long.startsWith(title.slice(0, -1))).toBe(true);
    expect(titleFrom('   ')).toBe(UNTITLED);
  });

  it('keeps the text of a turn only when the tenant keeps query text', () => {
    const kept = turnOf({ id: 't', conversationId: 'c' }, 'Which class?', answer, 'gpt', true);
    expect(kept).toMatchObject({ question: 'Which class?', answer: 'Economy [1].', model: 'gpt' });
    expect(kept.references[0]).toHaveProperty('snippet', 'Book economy');
    const bare = turnOf({ id: 't', conversationId: 'c' }, 'Which class?', answer, 'gpt', false);
    expect(bare).toMatchObject({ question: null, answer: null, mode: 'naive', usage: { llm_tokens_in: 10 } });
    expect(bare.references[0]).not.toHaveProperty('snippet');
    expect(JSON.stringify(bare)).not.toMatch(/Which class|Economy|Book economy/);
  });

  it('names no model for an extractive answer', () => {
    expect(
      turnOf({ id: 't', conversationId: 'c' }, 'q', { ...answer, answer_source: 'extractive' }, 'gpt', true)
        .model,
    ).toBeNull();
  });
});
