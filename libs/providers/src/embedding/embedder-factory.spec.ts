import { loadConfig } from '@strata/core';
import { ProviderEgress } from '../http/provider-egress';
import { EmbedderFactory, NoEmbeddingEndpoint } from './embedder-factory';
import { LEXICAL_MODEL, LexicalEmbedder } from './lexical-embedder';
import { OpenAiEmbedder } from './openai-embedder';

const factory = (env: Record<string, string> = {}) => {
  const config = loadConfig(env);
  return new EmbedderFactory(config, new ProviderEgress(config));
};

describe('EmbedderFactory', () => {
  it('gives the lexical embedder when no endpoint is configured anywhere', () => {
    expect(factory().create()).toBeInstanceOf(LexicalEmbedder);
    expect(factory().create({ base_url: null, model: null })).toBeInstanceOf(LexicalEmbedder);
  });

  it('layers tenant settings and the KB model over the environment', () => {
    const env = { EMBEDDING_BASE_URL: 'http://env:8080/v1', EMBEDDING_MODEL: 'env-model' };
    expect(factory(env).create().model).toBe('env-model');
    expect(factory(env).create({ model: 'tenant-model' }).model).toBe('tenant-model');
    expect(factory(env).create({ model: 'tenant-model' }, { model: 'kb-model' }).model).toBe('kb-model');
    expect(factory(env).create()).toBeInstanceOf(OpenAiEmbedder);
  });

  it('does not carry the environment credentials or model to another endpoint', () => {
    const env = {
      EMBEDDING_BASE_URL: 'http://env:8080/v1',
      EMBEDDING_MODEL: 'env-model',
      EMBEDDING_API_KEY: 'sk-env',
    };
    const embedder = factory(env).create({ base_url: 'http://tenant:9000/v1' });
    expect(embedder.model).toBe('text-embedding-3-small');
    expect((embedder as unknown as { settings: { apiKey: string | null } }).settings.apiKey).toBeNull();
  });

  it('serves the lexical model even where an endpoint is configured, and refuses a model without an endpoint', () => {
    expect(
      factory({ EMBEDDING_BASE_URL: 'http://env/v1', EMBEDDING_MODEL: 'm' }).create(null, {
        model: LEXICAL_MODEL,
      }),
    ).toBeInstanceOf(LexicalEmbedder);
    expect(() => factory().create(null, { model: 'bge-m3' })).toThrow(NoEmbeddingEndpoint);
  });
});
