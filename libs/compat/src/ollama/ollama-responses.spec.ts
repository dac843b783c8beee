import type { KnowledgeBaseResponse } from '@strata/knowledge-bases';
import type { QueryResponse } from '@strata/query';
import { kbOfModelName, ollamaDone, ollamaModel, ollamaModelName } from './ollama-responses';

const kb = {
  id: '0193a8f1-1111-7aaa-8bbb-123456789abc',
  slug: 'handbook',
  name: 'Handbook',
  updated_at: '2026-12-03T10:00:00.000Z',
} as KnowledgeBaseResponse;

describe('Ollama model names', () => {
  it('names a KB <slug>:latest and reads the KB back from any tag', () => {
    expect(ollamaModelName(kb)).toBe('handbook:latest');
    expect(kbOfModelName('handbook:latest')).toBe('handbook');
    expect(kbOfModelName('handbook:v2')).toBe('handbook');
    expect(kbOfModelName('handbook')).toBe('handbook');
    expect(kbOfModelName(kb.id)).toBe(kb.id);
    expect(kbOfModelName(':latest')).toBe(':latest');
  });

  it('gives a KB a digest that changes when the KB does', () => {
    const listed = ollamaModel(kb);
    expect(listed).toMatchObject({
      name: 'handbook:latest',
      model: 'handbook:latest',
      modified_at: kb.updated_at,
    });
    expect(listed.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(ollamaModel({ ...kb }).digest).toBe(listed.digest);
    expect(ollamaModel({ ...kb, updated_at: '2026-12-04T10:00:00.000Z' }).digest).not.toBe(listed.digest);
  });
});

describe('ollamaDone', () => {
  it('counts nanoseconds and the LLM tokens, and carries how the KB answered', () => {
    const response = {
      answer: 'Nine percent [1].',
      answer_source: 'llm',
      mode: 'mix',
      references: [],
      entities: [],
      relations: [],
      usage: { llm_tokens_in: 120, llm_tokens_out: 9 },
      timings_ms: { retrieval: 30, rerank: 0, answer: 70, total: 100 },
      warnings: [],
    } as unknown as QueryResponse;
    expect(ollamaDone(response)).toEqual({
      done: true,
      done_reason: 'stop',
      total_duration: 100_000_000,
      load_duration: 0,
      prompt_eval_count: 120,
      prompt_eval_duration: 30_000_000,
      eval_count: 9,
      eval_duration: 70_000_000,
      strata: { mode: 'mix', references: [], answer_source: 'llm', warnings: [] },
    });
  });
});
