import { OpenAiCompatibleServer } from '../../../../test/support/openai-compatible-server';
import { ProviderError } from '../http/provider-error';
import { OpenAiEmbedder, OpenAiEmbedderSettings } from './openai-embedder';

describe('OpenAiEmbedder against an OpenAI-compatible server on 127.0.0.1', () => {
  let server: OpenAiCompatibleServer;
  const settings = (): OpenAiEmbedderSettings => ({
    baseUrl: server.url,
    model: 'test-embed',
    apiKey: 'sk-provider-secret',
    batchSize: 3,
    concurrency: 2,
    timeoutMs: 2_000,
    maxRetries: 3,
    backoffMs: 5,
  });

  beforeEach(async () => {
    server = await OpenAiCompatibleServer.start({ dimension: 8 });
  });
  afterEach(() => server.stop());

  it('embeds in batches, keeps the order and learns the dimension', async () => {
    const embedder = new OpenAiEmbedder(settings());
    const texts = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta'];
    const vectors = await embedder.embed(texts);
    expect(vectors).toEqual(texts.map((t) => server.vectorOf(t)));
    expect(embedder.dimension).toBe(8);
    expect(server.requests.map((r) => (r.body.input as string[]).length).sort()).toEqual([1, 3, 3]);
    expect(server.requests[0].authorization).toBe('Bearer sk-provider-secret');
    expect(server.requests[0].body.model).toBe('test-embed');
  });

  it('retries 429 (honouring Retry-After) and 500, then succeeds', async () => {
    server.play({ status: 429, headers: { 'retry-after': '0' } }, { status: 500, body: '{"error":"boom"}' });
    const vectors = await new OpenAiEmbedder(settings()).embed(['one']);
    expect(vectors).toEqual([server.vectorOf('one')]);
    expect(server.requests).toHaveLength(3);
  });

  it('gives up after its retries with a message naming the endpoint and the last status', async () => {
    server.play(...Array.from({ length: 4 }, () => ({ status: 503 })));
    const error = await new OpenAiEmbedder(settings()).embed(['one']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).message).toMatch(
      /\/v1\/embeddings answered 503.*gave up after 4 attempts/,
    );
    expect((error as ProviderError).message).not.toContain('sk-provider-secret');
  });

  it('does not retry a 400', async () => {
    server.play({ status: 400, body: '{"error":{"message":"bad model"}}' });
    await expect(new OpenAiEmbedder(settings()).embed(['one'])).rejects.toThrow(/answered 400.*bad model/);
    expect(server.requests).toHaveLength(1);
  });

  it('times out a slow answer and retries it', async () => {
    server.play({ delayMs: 1_000 });
    const embedder = new OpenAiEmbedder({ ...settings(), timeoutMs: 200 });
    await expect(embedder.embed(['slow'])).resolves.toEqual([server.vectorOf('slow')]);
    expect(server.requests).toHaveLength(2);
  });

  it('refuses an answer with the wrong number of vectors', async () => {
    server.play({ status: 200, body: JSON.stringify({ data: [] }) });
    await expect(new OpenAiEmbedder(settings()).embed(['a'])).rejects.toThrow(
      /returned 0 vectors for 1 texts/,
    );
  });

  it('tells what each call took: the provider’s count, or about four characters a token', async () => {
    server.play({
      status: 200,
      body: JSON.stringify({
        data: [{ index: 0, embedding: server.vectorOf('a') }],
        usage: { prompt_tokens: 42 },
      }),
    });
    const told: number[] = [];
    await new OpenAiEmbedder(settings()).embed(['a'], undefined, (n) => told.push(n));
    // The stub's normal answers carry no usage: 16 characters are estimated as 4 tokens.
    await new OpenAiEmbedder(settings()).embed(['sixteen chars ok'], undefined, (n) => told.push(n));
    expect(told).toEqual([42, 4]);
  });

  it('stops when the caller aborts', async () => {
    server.play({ delayMs: 1_000 });
    const controller = new AbortController();
    const pending = new OpenAiEmbedder(settings()).embed(['x'], controller.signal);
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toThrow(/cancelled/);
  });
});
