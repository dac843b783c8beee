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
  /** Whether query text may be kept in the audit trail (off by default). */
  store_query_text?: boolean;
}

/** What the tenants.config column holds: provider sections with sealed api keys, and privacy. */
export interface StoredTenantConfig {
  llm?: ProviderSettings;
  embedding?: ProviderSettings;
  rerank?: ProviderSettings;
  privacy?: PrivacySettings;
}

export const SECRET_MASK = '***';
