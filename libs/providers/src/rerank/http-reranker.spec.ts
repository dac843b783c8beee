import { OpenAiCompatibleServer } from '../../../../test/support/openai-compatible-server';
import { HttpReranker } from './http-reranker';

describe('HttpReranker against a /rerank server on 127.0.0.1', () => {
  let server: OpenAiCompatibleServer;
  beforeEach(async () => {
    server = await OpenAiCompatibleServer.start();
  });
  afterEach(() => server.stop());

  const reranker = () =>
    new HttpReranker({
      baseUrl: server.url,
      model: 'test-rerank',
      apiKey: 'sk-rerank',
      timeoutMs: 2_000,
      maxRetries: 1,
      backoffMs: 5,
    });
  const documents = ['The cafeteria serves soup.', 'Revenue grew by nine percent.', 'Revenue fell.'];

  it('returns the top documents best first, sending the common request shape', async () => {
    await expect(reranker().rerank('how much did revenue grow', documents, 2)).resolves.toEqual([
      { index: 1, score: expect.any(Number) },
      { index: 2, score: expect.any(Number) },
    ]);
    expect(server.requests[0]).toMatchObject({
      path: '/v1/rerank',
      authorization: 'Bearer sk-rerank',
      body: { model: 'test-rerank', query: 'how much did revenue grow', documents, top_n: 2 },
    });
  });

  it('reads a bare list of {index, score}, and sends nothing for no documents', async () => {
    server.play({
      body: JSON.stringify([
        { index: 2, score: 0.2 },
        { index: 0, score: 0.9 },
      ]),
    });
    await expect(reranker().rerank('q', documents, 3)).resolves.toEqual([
      { index: 0, score: 0.9 },
      { index: 2, score: 0.2 },
    ]);
    await expect(reranker().rerank('q', [], 3)).resolves.toEqual([]);
    expect(server.requests).toHaveLength(1);
  });

  it('refuses results it cannot trust', async () => {
    for (const body of [
      '{"data": []}',
      '{"results": [{"index": 7, "relevance_score": 0.5}]}',
      '{"results": [{"index": 0, "relevance_score": "high"}]}',
    ]) {
      server.play({ body });
      await expect(reranker().rerank('q', documents, 3)).rejects.toMatchObject({ kind: 'malformed' });
    }
  });
});
