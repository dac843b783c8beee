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

  it('streams the answer in several deltas and returns the whole completion with its usage', async () => {
    const deltas: string[] = [];
    const completion = await model().stream([{ role: 'user', content: 'See [2].' }], (d) => deltas.push(d));
    expect(deltas.length).toBeGreaterThan(3);
    expect(deltas.join('')).toBe('According to the context, see [2].');
    expect(completion).toEqual({ text: deltas.join(''), tokensIn: expect.any(Number), tokensOut: 9 });
    expect(server.requests[0].body).toMatchObject({ stream: true, model: 'test-chat' });
  });

  it('closes the connection to the provider when the caller aborts a stream', async () => {
    server.streamDelayMs = 100;
    const controller = new AbortController();
    const deltas: string[] = [];
    const streaming = model().stream(
      [{ role: 'user', content: 'See [1].' }],
      (d) => {
        deltas.push(d);
        controller.abort();
      },
      controller.signal,
    );
    await expect(streaming).rejects.toMatchObject({ kind: 'cancelled' });
    expect(deltas).toHaveLength(1);
    const deadline = Date.now() + 5_000;
    while (server.abortedStreams === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(server.abortedStreams).toBe(1);
  });

  it('fails a stream that stalls, sends a part that is not JSON, or retries a 429 before it starts', async () => {
    const part = JSON.stringify({ choices: [{ delta: { content: 'Half an ' } }] });
    server.play({ events: [part], stallMs: 1_000 });
    await expect(model(200).stream([{ role: 'user', content: 'x' }], () => {})).rejects.toMatchObject({
      kind: 'timeout',
      message: expect.stringContaining('did not answer within 200 ms'),
    });
    server.play({ events: [part, '{not json'] });
    await expect(model().stream([{ role: 'user', content: 'x' }], () => {})).rejects.toMatchObject({
      kind: 'malformed',
    });
    server.play({ status: 429, headers: { 'retry-after': '0' } });
    const deltas: string[] = [];
    await model().stream([{ role: 'user', content: 'x' }], (d) => deltas.push(d));
    expect(deltas.join('')).toBe('I have no context to answer from.');
  });

  it('classifies failures: a timeout, a 500 after retries, a rejected request, a body that is not JSON', async () => {
    const ask = (timeoutMs?: number) => model(timeoutMs).complete([{ role: 'user', content: 'x' }]);
    server.play({ delayMs: 400 }, { delayMs: 400 }, { delayMs: 400 });
    await expect(ask(100)).rejects.toMatchObject({ kind: 'timeout' });
    server.play({ status: 500 }, { status: 500 }, { status: 500 });
    await expect(ask()).rejects.toMatchObject({ kind: 'unavailable', status: 500 });
    server.play({ status: 401, body: '{"error":"bad key"}' });
    await expect(ask()).rejects.toMatchObject({ kind: 'rejected', status: 401 });
    server.play({ status: 200, body: '{"choices": [' });
    await expect(ask()).rejects.toMatchObject({ kind: 'malformed' });
  });
});
