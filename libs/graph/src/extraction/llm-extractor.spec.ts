import { OpenAiChatModel } from '@strata/providers';
import { OpenAiCompatibleServer } from '../../../../test/support/openai-compatible-server';
import { LlmExtractor } from './llm-extractor';

const answer = (content: string) => ({
  body: JSON.stringify({
    choices: [{ message: { role: 'assistant', content } }],
    usage: { prompt_tokens: 100, completion_tokens: 20 },
  }),
});

describe('LlmExtractor against an OpenAI-compatible server on 127.0.0.1', () => {
  let server: OpenAiCompatibleServer;
  beforeEach(async () => {
    server = await OpenAiCompatibleServer.start();
  });
  afterEach(() => server.stop());

  it('extracts, gleans what was missed, and merges both answers', async () => {
    server.play(
      answer(
        [
          'entity<|#|>Maria Lopez<|#|>person<|#|>Chief executive of Northwind Traders.',
          'entity<|#|>Northwind Traders<|#|>organization',
          'relation<|#|>Maria Lopez<|#|>Northwind Traders<|#|>leadership<|#|>Maria Lopez runs Northwind Traders.',
          'this line is not a record',
          '<|COMPLETE|>',
        ].join('\n'),
      ),
      answer(
        'entity<|#|>Oslo<|#|>location<|#|>Where Northwind Traders is based.\n' +
          'relation<|#|>Northwind Traders<|#|>Oslo<|#|>headquarters<|#|>Northwind Traders is based in Oslo.\n<|COMPLETE|>',
      ),
    );
    const extractor = new LlmExtractor(
      new OpenAiChatModel({
        baseUrl: server.url,
        model: 'extract-model',
        apiKey: null,
        timeoutMs: 2000,
        maxRetries: 0,
      }),
    );
    const result = await extractor.extract('Maria Lopez runs Northwind Traders, based in Oslo.');
    expect(result.entities.map((e) => [e.name, e.type])).toEqual([
      ['Maria Lopez', 'person'],
      ['Northwind Traders', 'organization'],
      ['Oslo', 'location'],
    ]);
    expect(result.relations.map((r) => [r.source, r.target, r.keywords])).toEqual([
      ['Maria Lopez', 'Northwind Traders', 'leadership'],
      ['Northwind Traders', 'Oslo', 'headquarters'],
    ]);
    expect(result).toMatchObject({ tokensIn: 200, tokensOut: 40 });
    expect(extractor.name).toBe('llm:extract-model');
    const gleaning = server.requests[1].body.messages as Array<{ role: string; content: string }>;
    expect(gleaning.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(gleaning[2].content).toContain('entity<|#|>Maria Lopez');
    expect(gleaning[0].content).toContain('relation<|#|>');
  });
});
