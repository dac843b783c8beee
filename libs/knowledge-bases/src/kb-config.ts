export const QUERY_MODES = ['naive', 'local', 'global', 'hybrid', 'mix', 'bypass'] as const;
export type QueryMode = (typeof QUERY_MODES)[number];
export const EXTRACTION_METHODS = ['auto', 'embedded', 'llm'] as const;
export type ExtractionMethod = (typeof EXTRACTION_METHODS)[number];

/** Per-KB settings; each section is completed with defaults when read. */
export interface KnowledgeBaseConfig {
  chunking: { chunk_size: number; chunk_overlap: number };
  /** Set when the first document is embedded; null until then. */
  embedding: { model: string | null; dimension: number | null };
  /** Knowledge-graph extraction during ingestion: `auto` uses the LLM when one is configured. */
  extraction: { enabled: boolean; method: ExtractionMethod };
  /** The KB's chat model on the tenant's LLM endpoint; null = the tenant's (or environment's) model. */
  llm: { model: string | null };
  query: {
    default_mode: QueryMode;
    top_k: number;
    chunk_top_k: number;
    /** Token budget of a query's context. */
    max_total_tokens: number;
    /** Reciprocal rank fusion: k, and the weight of each retriever's list. */
    rrf_k: number;
    /** null: decided by the KB's embedder (see `vectorWeightOf`). */
    vector_weight: number | null;
    text_weight: number;
    /** Pseudo-relevance feedback of the full-text search: chunks of a first search that expand the question; 0 = none. */
    feedback_chunks: number;
    /** Whether a configured rerank provider reorders the fused chunks. */
    rerank: boolean;
    /** Budget of the conversation history passed to the LLM; the oldest turns go first. */
    max_history_tokens: number;
    /** How answers are shaped when a request does not say ("Multiple Paragraphs", "Bullet Points"…). */
    response_type: string;
  };
}

export type KnowledgeBaseConfigPatch = { [S in keyof KnowledgeBaseConfig]?: Partial<KnowledgeBaseConfig[S]> };

export const DEFAULT_KB_CONFIG: KnowledgeBaseConfig = {
  chunking: { chunk_size: 1200, chunk_overlap: 100 },
  embedding: { model: null, dimension: null },
  extraction: { enabled: true, method: 'auto' },
  llm: { model: null },
  query: {
    default_mode: 'mix',
    top_k: 40,
    chunk_top_k: 20,
    max_total_tokens: 4000,
    rrf_k: 60,
    vector_weight: null,
    text_weight: 1,
    feedback_chunks: 10,
    rerank: true,
    max_history_tokens: 2000,
    response_type: 'Multiple Paragraphs',
  },
};

/**
 * The weight of the chunk-vector list in a KB's fusion. Unset, it follows the embedder: a model
 * provider's vectors carry meaning that full text misses (weight 1); the embedded lexical
 * embedder's are hashed words, a second and weaker ranking of what BM25 already ranks (on the
 * Cranfield collection fusing them cost 9% nDCG@10 against full text alone), so they are left out.
 */
export function vectorWeightOf(config: KnowledgeBaseConfig, lexicalModel: string): number {
  if (config.query.vector_weight !== null) return config.query.vector_weight;
  return config.embedding.model === lexicalModel ? 0 : 1;
}

/** Applies a patch section by section over a config (or the defaults). */
export function mergeKbConfig(
  base: KnowledgeBaseConfigPatch | null | undefined,
  patch: KnowledgeBaseConfigPatch = {},
): KnowledgeBaseConfig {
  const sections = Object.keys(DEFAULT_KB_CONFIG) as (keyof KnowledgeBaseConfig)[];
  return Object.fromEntries(
    sections.map((section) => [
      section,
      { ...DEFAULT_KB_CONFIG[section], ...(base?.[section] ?? {}), ...definedOnly(patch[section] ?? {}) },
    ]),
  ) as unknown as KnowledgeBaseConfig;
}

/** Problems a merged config has as a whole (field-level checks live in the DTO). */
export function kbConfigProblems(config: KnowledgeBaseConfig): string[] {
  const problems: string[] = [];
  if (config.chunking.chunk_overlap >= config.chunking.chunk_size) {
    problems.push('config.chunking.chunk_overlap must be smaller than chunk_size');
  }
  return problems;
}

const definedOnly = <T extends object>(value: T): Partial<T> =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
