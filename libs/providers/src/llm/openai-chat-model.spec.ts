import { OpenAiCompatibleServer } from '../../../../test/support/openai-compatible-server';
import { OpenAiChatModel } from './openai-chat-model';

describe('OpenAiChatModel against an OpenAI-compatible server on 127.0.0.1', () => {
  let server: OpenAiCompatibleServer;
  beforeEach(async () => {
    server = await OpenAiCompatibleServer.start();
  });
  afterEach(() => server.stop());

  const model = (timeoutMs = 2_000) =>
    new OpenAiChatModel({
      baseUrl: server.url,
      model: 'test-chat',
      apiKey: 'sk-llm',
      timeoutMs,
      maxRetries: 2,
      backoffMs: 5,
    });

  it('returns the message and the token usage', async () => {
    const completion = await model().complete([{ role: 'user', content: 'Context: [1] facts. Question?' }]);
    expect(completion).toEqual({
      text: 'According to the context, see [1].',
      tokensIn: expect.any(Number),
      tokensOut: 9,
    });
    expect(server.requests[0]).toMatchObject({
      path: '/v1/chat/completions',
      authorization: 'Bearer sk-llm',
    });
    expect(server.requests[0].body.model).toBe('test-chat');
  });

  it('retries a 500 and a slow answer, and refuses an answer without content', async () => {
    server.play({ status: 500 }, { delayMs: 500 });
    await expect(model(200).complete([{ role: 'user', content: 'x' }])).resolves.toMatchObject({
      tokensOut: 9,
    });
    expect(server.requests).toHaveLength(3);
    server.play({ status: 200, body: JSON.stringify({ choices: [] }) });
    await expect(model().complete([{ role: 'user', content: 'x' }])).rejects.toThrow(/no message content/);
  });
});
