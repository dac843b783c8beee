import type { EndpointConfig } from '@strata/core';

/** Provider settings a tenant (or KB) sets over the environment's; unset fields inherit. */
export interface EndpointOverrides {
  base_url?: string | null;
  model?: string | null;
  api_key?: string | null;
  timeout_ms?: number | null;
}

export interface ResolvedEndpoint {
  baseUrl: string | null;
  model: string | null;
  apiKey: string | null;
  timeoutMs: number;
  /** Whether the call goes to the operator's own base URL (the environment's), not one a layer chose. */
  fromEnvironment: boolean;
}

/**
 * The endpoint a call goes to: the environment's, with each layer's set fields over it in order
 * (tenant config, then KB). A layer naming another base URL does not inherit the credentials or
 * model of the one below: they belong to that other endpoint.
 */
export function resolveEndpoint(
  env: EndpointConfig,
  layers: ReadonlyArray<EndpointOverrides | null | undefined>,
): ResolvedEndpoint {
  let { baseUrl, model, apiKey, timeoutMs } = env;
  for (const layer of layers) {
    if (!layer) continue;
    if (layer.base_url) {
      if (layer.base_url !== baseUrl) {
        apiKey = null;
        model = null;
      }
      baseUrl = layer.base_url;
    }
    if (layer.model) model = layer.model;
    if (layer.api_key) apiKey = layer.api_key;
    if (layer.timeout_ms) timeoutMs = layer.timeout_ms;
  }
  return { baseUrl, model, apiKey, timeoutMs, fromEnvironment: baseUrl === env.baseUrl };
}
