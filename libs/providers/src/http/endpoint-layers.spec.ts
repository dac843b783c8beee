import { resolveEndpoint } from './endpoint-layers';

describe('resolveEndpoint', () => {
  const env = {
    baseUrl: 'http://env/v1',
    model: 'env-model',
    apiKey: 'sk-env',
    timeoutMs: 1000,
    maxRetries: 2,
  };

  it("lays each layer's set fields over the environment's, in order", () => {
    expect(
      resolveEndpoint(env, [null, { model: 'tenant-model' }, { model: 'kb-model', timeout_ms: 50 }]),
    ).toEqual({
      baseUrl: 'http://env/v1',
      model: 'kb-model',
      apiKey: 'sk-env',
      timeoutMs: 50,
      fromEnvironment: true,
    });
  });

  it('does not carry credentials or model over to another endpoint', () => {
    expect(resolveEndpoint(env, [{ base_url: 'http://tenant/v1' }])).toEqual({
      baseUrl: 'http://tenant/v1',
      model: null,
      apiKey: null,
      timeoutMs: 1000,
      fromEnvironment: false,
    });
    const restated = resolveEndpoint(env, [{ base_url: 'http://env/v1', model: null }]);
    expect(restated).toMatchObject({ apiKey: 'sk-env', fromEnvironment: true });
  });

  it('has no endpoint when none is set anywhere', () => {
    expect(resolveEndpoint({ ...env, baseUrl: null }, [{ model: 'm' }]).baseUrl).toBeNull();
  });
});
