import type { QueryResponse } from '@strata/query';
import {
  chatCompletion,
  completionChunk,
  completionIdentity,
  completionUsage,
  usageChunk,
} from './chat-completion';
import { openAiErrorBody, openAiErrorType } from './openai-error.filter';

const response = {
  answer: 'Revenue grew nine percent [1].',
  answer_source: 'llm',
  mode: 'naive',
  references: [
    {
      id: 1,
      knowledge_base_id: 'k',
      document_id: 'd',
      title: 'Finance',
      chunk_id: 'c',
      score: 1,
      snippet: 'Revenue',
    },
  ],
  entities: [],
  relations: [],
  usage: { context_tokens: 40, llm_tokens_in: 120, llm_tokens_out: 9 },
  timings_ms: {},
  warnings: ['rerank skipped'],
} as QueryResponse;

describe('OpenAI chat completion shapes', () => {
  it('names a completion once, with seconds since the epoch', () => {
    const identity = completionIdentity('handbook', 1_700_000_000_999);
    expect(identity).toEqual({
      id: expect.stringMatching(/^chatcmpl-[0-9a-f]{32}$/),
      created: 1_700_000_000,
      model: 'handbook',
    });
    expect(completionIdentity('handbook').id).not.toBe(identity.id);
  });

  it("counts the query's LLM tokens as prompt and completion tokens", () => {
    expect(completionUsage(response.usage)).toEqual({
      prompt_tokens: 120,
      completion_tokens: 9,
      total_tokens: 129,
    });
    expect(completionUsage({ context_tokens: 40 })).toEqual({
      prompt_tokens: 0,
      completion_tokens: 0,
      total_tokens: 0,
    });
  });

  it('puts the answer in one choice and how it was found under strata', () => {
    const identity = { id: 'chatcmpl-1', created: 1, model: 'handbook' };
    expect(chatCompletion(identity, response)).toEqual({
      ...identity,
      object: 'chat.completion',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'Revenue grew nine percent [1].', refusal: null },
          logprobs: null,
          finish_reason: 'stop',
        },
      ],
      usage: { prompt_tokens: 120, completion_tokens: 9, total_tokens: 129 },
      strata: {
        mode: 'naive',
        references: response.references,
        answer_source: 'llm',
        warnings: ['rerank skipped'],
      },
    });
  });

  it('streams deltas, then a stop, then usage without choices', () => {
    const identity = { id: 'chatcmpl-1', created: 1, model: 'handbook' };
    expect(completionChunk(identity, { content: 'Rev' })).toEqual({
      ...identity,
      object: 'chat.completion.chunk',
      choices: [{ index: 0, delta: { content: 'Rev' }, logprobs: null, finish_reason: null }],
    });
    expect(completionChunk(identity, {}, 'stop', { warnings: [] })).toMatchObject({
      choices: [{ finish_reason: 'stop' }],
      strata: { warnings: [] },
    });
    expect(usageChunk(identity, response.usage)).toEqual({
      ...identity,
      object: 'chat.completion.chunk',
      choices: [],
      usage: { prompt_tokens: 120, completion_tokens: 9, total_tokens: 129 },
    });
  });
});

describe('OpenAI error shape', () => {
  it.each([
    [400, 'invalid_request_error'],
    [404, 'invalid_request_error'],
    [413, 'invalid_request_error'],
    [401, 'authentication_error'],
    [403, 'permission_error'],
    [429, 'rate_limit_error'],
    [500, 'server_error'],
    [502, 'server_error'],
  ])('types a %i as %s', (status, type) => {
    expect(openAiErrorType(status)).toBe(type);
  });

  it("keeps Strata's stable code and the request id", () => {
    expect(openAiErrorBody(404, 'KB_NOT_FOUND', 'gone', 'req-1')).toEqual({
      error: {
        message: 'gone',
        type: 'invalid_request_error',
        param: null,
        code: 'KB_NOT_FOUND',
        request_id: 'req-1',
      },
    });
  });
});
