/** Per-tenant limits, set by the platform admin (docs/api.md lists how each is enforced). */
export interface TenantQuotas {
  max_knowledge_bases: number;
  max_documents: number;
  max_storage_bytes: number;
  max_upload_bytes: number;
  queries_per_minute: number;
  requests_per_minute: number;
  max_concurrent_requests: number;
  /** LLM tokens (prompt and completion, every purpose) a day; null: no limit. */
  llm_tokens_per_day: number | null;
  /** A provider's embedding tokens a day; null: no limit. */
  embedding_tokens_per_day: number | null;
}

export const DEFAULT_QUOTAS: TenantQuotas = {
  max_knowledge_bases: 100,
  max_documents: 100_000,
  max_storage_bytes: 10 * 1024 ** 3,
  max_upload_bytes: 100 * 1024 ** 2,
  queries_per_minute: 600,
  requests_per_minute: 6_000,
  max_concurrent_requests: 64,
  llm_tokens_per_day: null,
  embedding_tokens_per_day: null,
};

/** Stored quotas completed with defaults (rows only hold what was set). */
export function withDefaultQuotas(stored: Partial<TenantQuotas> | null | undefined): TenantQuotas {
  return { ...DEFAULT_QUOTAS, ...(stored ?? {}) };
}
