/** The API's shapes the console reads (see /docs for all of them). */
export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export const ROLES = ['viewer', 'editor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface Permissions {
  create_kb: boolean;
  delete_documents: boolean;
  run_queries: boolean;
}

export interface Membership {
  tenant_id: string;
  tenant_slug: string;
  tenant_name: string;
  role: Role;
  knowledge_base_ids: string[] | null;
  permissions: Permissions;
}

export interface Me {
  user: { id: string; email: string; platform_admin: boolean } | null;
  tenant_id: string | null;
  memberships: Membership[];
}

export interface Tokens {
  access_token: string;
  refresh_token: string;
  expires_in: number;
}

export interface Tenant {
  id: string;
  slug: string;
  name: string;
  status: 'active' | 'suspended' | 'deleting';
}

export interface KnowledgeBase {
  id: string;
  slug: string;
  name: string;
  description: string | null;
  status: 'active' | 'archived';
  document_count: number;
  created_at: string;
}

export type DocumentStatus = 'pending' | 'processing' | 'processed' | 'failed' | 'deleting';
export type GraphStatus = 'pending' | 'building' | 'done' | 'failed' | 'skipped';

export interface DocumentSummary {
  id: string;
  title: string;
  status: DocumentStatus;
  progress: number;
  error: string | null;
  graph_status: GraphStatus;
  graph_error: string | null;
  chunk_count: number;
  size_bytes: number;
  mime_type: string;
  created_at: string;
  /** Who may see it besides tenant admins; null: everyone who may read the KB. */
  access: DocumentAccess | null;
}

export interface DocumentAccess {
  group_ids: string[];
  user_ids: string[];
}

export interface DocumentStatusCounts {
  pending: number;
  processing: number;
  processed: number;
  failed: number;
  all: number;
}

/** What a delete request's receipt reports: what every store still holds of its documents. */
export interface DeletionReceipt {
  id: string;
  status: 'deleting' | 'complete';
  document_ids: string[];
  requested_at: string;
  completed_at: string | null;
  remains: { documents: number; chunks: number; vectors: number; graph_mentions: number; blobs: number };
}

/** A tenant's group of members and API keys, named in document access lists. */
export interface Group {
  id: string;
  name: string;
  description: string;
  users: number;
  api_keys: number;
}

export interface GroupMember {
  type: 'user' | 'api_key';
  id: string;
  label: string;
}

export interface DocumentDetail extends DocumentSummary {
  source_name: string | null;
  token_count: number;
  metadata: Record<string, unknown>;
  updated_at: string;
  processed_at: string | null;
}

export interface Chunk {
  id: string;
  ordinal: number;
  content: string;
  token_count: number;
  heading: string | null;
}

export const QUERY_MODES = ['mix', 'hybrid', 'local', 'global', 'naive', 'bypass'] as const;
export type QueryMode = (typeof QUERY_MODES)[number];

export interface Reference {
  id: number;
  knowledge_base_id: string;
  document_id: string;
  title: string;
  chunk_id: string;
  score: number;
  snippet: string;
}

export interface QueryEntity {
  name: string;
  type: string;
  description: string;
}

export interface QueryRelation {
  source: string;
  target: string;
  keywords: string;
  description: string;
  weight: number;
}

export interface GraphNode {
  id: string;
  label: string;
  type: string;
  description: string;
  degree: number;
}

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  keywords: string;
  description: string;
  weight: number;
}

export interface Subgraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  is_truncated: boolean;
}

export interface EntityDetail extends GraphNode {
  documents: Array<{ id: string; title: string }>;
  relations: Array<{ id: string; entity: string; keywords: string; description: string; weight: number }>;
}

export interface Invitation {
  id: string;
  email: string;
  role: Role;
  knowledge_base_ids: string[] | null;
  status: 'pending' | 'accepted' | 'revoked' | 'expired';
  created_at: string;
  expires_at: string;
}

export interface Member {
  user_id: string;
  email: string;
  role: Role;
  knowledge_base_ids: string[] | null;
  permissions: Permissions;
}

/** One of the signed-in person's sign-ins (GET /auth/sessions). */
export interface SignInSession {
  id: string;
  current: boolean;
  tenant_id: string | null;
  created_at: string;
  last_used_at: string;
  expires_at: string;
  ip: string | null;
  user_agent: string | null;
}

export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  role: Role;
  knowledge_base_ids: string[] | null;
  last_used_at: string | null;
  expires_at: string | null;
  revoked_at: string | null;
  rotated_from: string | null;
  created_at: string;
}

export interface AuditEvent {
  id: string;
  seq: string;
  at: string;
  kb_id: string | null;
  actor_type: string;
  actor_id: string | null;
  action: string;
  resource_type: string | null;
  resource_id: string | null;
  outcome: 'success' | 'denied' | 'error';
  ip: string | null;
  details: Record<string, unknown>;
}

export interface Quotas {
  max_knowledge_bases: number;
  max_documents: number;
  max_storage_bytes: number;
  max_upload_bytes: number;
  queries_per_minute: number;
  requests_per_minute: number;
  max_concurrent_requests: number;
  /** null: no limit. */
  llm_tokens_per_day: number | null;
  embedding_tokens_per_day: number | null;
}

export interface TokenUsage {
  day: string;
  kb_id: string;
  purpose: 'answer' | 'keywords' | 'extraction' | 'embedding';
  model: string;
  tokens_in: number;
  tokens_out: number;
  cost: number | null;
}

export interface Usage {
  quotas: Quotas;
  current: {
    knowledge_bases: number;
    documents: number;
    storage_bytes: number;
    members: number;
    api_keys: number;
  };
  feedback: { up: number; down: number; up_rate: number | null };
  tokens: TokenUsage[];
  cost: { currency: string; total: number; unpriced_models: string[] };
  daily: Array<{
    day: string;
    queries: number;
    tokens_in: number;
    tokens_out: number;
    embedding_tokens: number;
    answers_up: number;
    answers_down: number;
    bytes_ingested: number;
    documents: number;
  }>;
}

export interface KnowledgeBaseConfig {
  chunking: { chunk_size: number; chunk_overlap: number };
  embedding: { model: string | null; dimension: number | null };
  extraction: { enabled: boolean; method: 'auto' | 'embedded' | 'llm' };
  llm: { model: string | null };
  query: { default_mode: QueryMode; top_k: number; chunk_top_k: number; rerank: boolean };
}

export interface KnowledgeBaseDetail extends KnowledgeBase {
  config: KnowledgeBaseConfig;
}

export const PROVIDERS = ['llm', 'embedding', 'rerank'] as const;
export type Provider = (typeof PROVIDERS)[number];

export interface ProviderSettings {
  base_url: string | null;
  model: string | null;
  /** "***" when set: the key itself is never shown. */
  api_key: string | null;
  api_key_set: boolean;
  timeout_ms: number | null;
  dimension: number | null;
}

export const FALLBACKS = {
  llm: ['error', 'extractive'],
  rerank: ['error', 'skip'],
  embedding: ['error', 'text_only'],
} as const;

export interface TenantConfig {
  llm: ProviderSettings;
  embedding: ProviderSettings;
  rerank: ProviderSettings;
  privacy: { store_query_text: boolean };
  conversations: { retention_days: number | null };
  prices: { currency: string; models: ModelPrice[] };
  on_provider_failure: { [P in Provider]: (typeof FALLBACKS)[P][number] };
}

export interface ModelPrice {
  model: string;
  input_per_million: number;
  output_per_million: number;
}

export interface ProviderTest {
  provider: Provider;
  configured: boolean;
  ok: boolean;
  model: string | null;
  latency_ms: number | null;
  detail: string;
  failure: string | null;
}

export type Rating = 'up' | 'down';

export interface Feedback {
  rating: Rating;
  comment: string | null;
  reference_id: number | null;
  created_at: string;
  updated_at: string;
}

export interface Conversation {
  id: string;
  title: string;
  knowledge_base_ids: string[];
  created_at: string;
  updated_at: string;
}

export interface Turn {
  id: string;
  /** null when the tenant keeps no query text. */
  question: string | null;
  answer: string | null;
  answer_source: string | null;
  mode: string;
  model: string | null;
  references: Array<Omit<Reference, 'snippet'> & { snippet?: string }>;
  timings_ms: Record<string, number>;
  /** The answer cited a document the caller may no longer see: its text is not shown. */
  withheld: boolean;
  created_at: string;
  feedback: Feedback | null;
}

export interface ConversationDetail extends Conversation {
  turns: Turn[];
}

export interface RatedAnswer extends Feedback {
  turn_id: string;
  conversation_id: string;
  knowledge_base_ids: string[];
  question: string | null;
  answer: string | null;
  /** The answer cited a document the caller may not see: its text is not shown. */
  withheld: boolean;
  mode: string;
  model: string | null;
  reference: (Omit<Reference, 'snippet'> & { snippet?: string }) | null;
}
