import type { EmbedderFactory } from '../embedding/embedder-factory';
import { NoEmbeddingEndpoint } from '../embedding/embedder-factory';
import { LexicalEmbedder } from '../embedding/lexical-embedder';
import { ProviderError } from '../http/provider-error';
import type { ChatModelFactory } from '../llm/chat-model-factory';
import type { RerankerFactory } from '../rerank/reranker-factory';
import { ProviderCheck } from './provider-check';

const factories = (parts: { chat?: unknown; embedder?: () => unknown; reranker?: unknown }) =>
  new ProviderCheck(
    { create: () => parts.chat ?? null } as unknown as ChatModelFactory,
    { create: parts.embedder ?? (() => new LexicalEmbedder()) } as unknown as EmbedderFactory,
    { create: () => parts.reranker ?? null } as unknown as RerankerFactory,
  );

describe('ProviderCheck', () => {
  it('reports the embedded defaults as not configured, without calling anything', async () => {
    const check = factories({});
    for (const provider of ['llm', 'embedding', 'rerank'] as const) {
      expect(await check.check(provider, null)).toMatchObject({
        configured: false,
        ok: true,
        latency_ms: null,
      });
    }
  });

  it("turns a provider's failure into ok false with its kind", async () => {
    const chat = {
      model: 'm',
      complete: () =>
        Promise.reject(new ProviderError('LLM provider rate-limited the call (429)', 'rate_limited', 429)),
    };
    expect(await factories({ chat }).check('llm', null)).toMatchObject({
      configured: true,
      ok: false,
      model: 'm',
      failure: 'rate_limited',
      detail: 'LLM provider rate-limited the call (429)',
    });
  });

  it('reports an embedding model without an endpoint as invalid settings', async () => {
    const embedder = () => {
      throw new NoEmbeddingEndpoint('bge-m3');
    };
    expect(await factories({ embedder }).check('embedding', { model: 'bge-m3' })).toMatchObject({
      ok: false,
      failure: 'invalid_settings',
    });
  });

  it('lets an unexpected error through (a 500 with no detail, not a report)', async () => {
    const chat = { model: 'm', complete: () => Promise.reject(new TypeError('bug')) };
    await expect(factories({ chat }).check('llm', null)).rejects.toThrow('bug');
  });
});
