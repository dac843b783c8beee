/** Provider sections of a tenant's config; `api_key` is stored sealed (see secret-box). */
export const PROVIDER_SECTIONS = ['llm', 'embedding', 'rerank'] as const;
export type ProviderSection = (typeof PROVIDER_SECTIONS)[number];

export interface ProviderSettings {
  base_url?: string | null;
  model?: string | null;
  api_key?: string | null;
  timeout_ms?: number | null;
  dimension?: number | null;
}

export interface PrivacySettings {
  /** Whether query text may be kept: in the audit trail, and in conversations' turns (off by default). */
  store_query_text?: boolean;
}

export interface MemberSettings {
  /**
   * Whether removing a member also revokes the API keys they created (off by default: keys
   * belong to the tenant and outlive their creator).
   */
  revoke_api_keys_on_removal?: boolean;
}

export interface ConversationSettings {
  /** Days a conversation's turns are kept (a job removes older ones); null, the default, keeps them. */
  retention_days?: number | null;
}

/** What a model's tokens cost, per million. */
export interface ModelPrice {
  model: string;
  input_per_million: number;
  output_per_million: number;
}

/** A tenant's price table: usage shows the cost of the tokens of the models it names. */
export interface PriceSettings {
  currency?: string;
  models?: ModelPrice[];
}

/**
 * What a query does when a provider fails: `error` answers 502/504; otherwise it carries on without
 * that provider (an extractive answer, the fused order, full-text retrieval alone) and says so in
 * the response's `warnings`.
 */
export const PROVIDER_FALLBACKS = {
  llm: ['error', 'extractive'],
  rerank: ['error', 'skip'],
  embedding: ['error', 'text_only'],
} as const;

export type ProviderFallbacks = {
  [P in keyof typeof PROVIDER_FALLBACKS]: (typeof PROVIDER_FALLBACKS)[P][number];
};

export const DEFAULT_PROVIDER_FALLBACKS: ProviderFallbacks = {
  llm: 'error',
  rerank: 'error',
  embedding: 'error',
};

/** What the tenants.config column holds: provider sections with sealed api keys, privacy, fallbacks. */
export interface StoredTenantConfig {
  llm?: ProviderSettings;
  embedding?: ProviderSettings;
  rerank?: ProviderSettings;
  privacy?: PrivacySettings;
  members?: MemberSettings;
  conversations?: ConversationSettings;
  prices?: PriceSettings;
  on_provider_failure?: Partial<ProviderFallbacks>;
}

export const SECRET_MASK = '***';

/** A tenant's member settings with their defaults filled in. */
export const memberSettings = (config: StoredTenantConfig): Required<MemberSettings> => ({
  revoke_api_keys_on_removal: config.members?.revoke_api_keys_on_removal ?? false,
});

/** A tenant's conversation settings with their defaults filled in. */
export const conversationSettings = (config: StoredTenantConfig): Required<ConversationSettings> => ({
  retention_days: config.conversations?.retention_days ?? null,
});

/** A tenant's price table with its defaults filled in (no models priced, in USD). */
export const priceSettings = (config: StoredTenantConfig): Required<PriceSettings> => ({
  currency: config.prices?.currency ?? 'USD',
  models: config.prices?.models ?? [],
});
