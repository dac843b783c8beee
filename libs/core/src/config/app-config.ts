import { availableParallelism } from 'node:os';
import { parseIdOrSlug } from '../ids/identifiers';
import { EgressPolicy } from '../egress/egress-policy';
import { ConfigError } from './config-error';
import { decodeMasterKey } from './master-key';
import { Env, readBoolean, readEnum, readInteger, readString, readUrl } from './env-readers';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
/** `auto`: readable lines on a terminal, JSON otherwise (a file, a pipe, a log collector). */
export const LOG_FORMATS = ['auto', 'json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

const MIN_JWT_SECRET_LENGTH = 32;
const MIN_ADMIN_PASSWORD_LENGTH = 12;
const DEFAULT_ADMIN_EMAIL = 'admin@strata.local';

export const VECTOR_STORES = ['pgvector', 'qdrant'] as const;
export type VectorStoreKind = (typeof VECTOR_STORES)[number];
export const GRAPH_STORES = ['postgres', 'neo4j'] as const;
export type GraphStoreKind = (typeof GRAPH_STORES)[number];

/** An OpenAI-compatible provider endpoint; a null base URL means none is configured. */
export interface EndpointConfig {
  baseUrl: string | null;
  model: string | null;
  apiKey: string | null;
  timeoutMs: number;
  maxRetries: number;
}

/** Embeddings; no endpoint = the embedded lexical embedder. */
export interface EmbeddingConfig extends EndpointConfig {
  batchSize: number;
  concurrency: number;
}

/** Chat answers; no endpoint = extractive answers. */
export type LlmConfig = EndpointConfig;

/** A `/rerank` endpoint (Cohere, Jina, text-embeddings-inference style); no endpoint = fused order. */
export type RerankConfig = EndpointConfig;

export interface VectorStoreConfig {
  kind: VectorStoreKind;
  qdrantUrl: string | null;
  qdrantApiKey: string | null;
}

export interface GraphStoreConfig {
  kind: GraphStoreKind;
  neo4jUrl: string | null;
  neo4jUser: string;
  neo4jPassword: string | null;
  /** Neo4j database; null = the server's default. */
  neo4jDatabase: string | null;
}

export interface IngestionConfig {
  /** Whether this API process also consumes the job queue (embedded mode always does). */
  runJobsInApi: boolean;
  /** Document jobs (ingest, delete, purge) a process runs at once. */
  concurrency: number;
  /** KB graph builds a process runs at once, beside the document jobs (see JobLane). */
  graphConcurrency: number;
  /** How long a claimed document stays claimed without a heartbeat before others may take it. */
  leaseSeconds: number;
  /** Chunks a graph job extracts and merges as one batch (whole documents; one document at least). */
  graphBatchChunks: number;
  /** Worker threads for parsing, chunking and embedded extraction; 0 runs them on the main thread. */
  cpuThreads: number;
  /** How long parsing one document may take before it fails. */
  parseTimeoutSeconds: number;
  /** The heap of each CPU worker thread: a document whose parsing needs more fails. */
  parseMemoryMb: number;
  /** What a zip-based document (docx) may declare it unpacks to. */
  parseMaxExpandedMb: number;
}

export type DatabaseConfig =
  | { kind: 'embedded'; dataDir: string | null }
  | {
      kind: 'postgres';
      url: string;
      poolSize: number;
      /** MIGRATION_DATABASE_URL: the schema owner's connection `migrate` uses; null = `url`'s. */
      migrationUrl?: string | null;
    };

/** The tenant and KB (uuid or slug each) of the single-workspace routes. */
export interface DefaultWorkspace {
  tenant: string;
  kb: string;
}

/**
 * The validated configuration of a Strata process. `jwtSecret`/`masterKey` are null only until
 * embedded secrets are resolved (see `resolveEmbeddedSecrets`); in server mode they are required.
 */
export class AppConfig {
  readonly port!: number;
  readonly host!: string;
  readonly dataDir!: string;
  /** Where original uploads are kept; null = DATA_DIR/blobs. */
  readonly blobDir!: string | null;
  readonly database!: DatabaseConfig;
  readonly redisUrl!: string | null;
  /** Prefix of every key in Redis (job queues, rate limits); deployments sharing one Redis set their own. */
  readonly jobQueuePrefix!: string;
  readonly jwtSecret!: string | null;
  readonly masterKey!: Buffer | null;
  readonly adminEmail!: string;
  readonly adminPassword!: string | null;
  readonly logLevel!: LogLevel;
  readonly logFormat!: LogFormat;
  readonly accessTokenTtlSeconds!: number;
  readonly refreshTokenTtlSeconds!: number;
  readonly bodyLimitBytes!: number;
  readonly trustProxy!: boolean;
  /**
   * The origin people reach Strata at (PUBLIC_URL, e.g. https://strata.example.com): single
   * sign-on's redirect URI is made from it. null = the origin each request came to.
   */
  readonly publicUrl!: string | null;
  /**
   * LOCAL_PASSWORDS: whether people sign in with passwords kept in Strata. Off, only platform
   * admins do (the way back in when the identity provider is down); everyone else uses single sign-on.
   */
  readonly localPasswords!: boolean;
  /** Whether identity providers may have http issuers (OIDC_ALLOW_HTTP; a trusted local network, tests). */
  readonly oidcAllowHttp!: boolean;
  /** When set, GET /metrics wants `Authorization: Bearer <token>`; else it is open. */
  readonly metricsToken!: string | null;
  /** Port of the worker's /metrics server; 0 turns it off. */
  readonly workerMetricsPort!: number;
  /** After SIGTERM, the process exits within this many seconds, finished or not. */
  readonly shutdownTimeoutSeconds!: number;
  /**
   * A diagnostic: where the embedded database writes the time it spent per statement (JSON,
   * refreshed every few seconds); null, the default, measures nothing.
   */
  readonly embeddedStatementStatsFile!: string | null;
  /** Full-text postings a process keeps in memory between searches (about 16 bytes each); 0 keeps none. */
  readonly searchCachePostings!: number;
  /** DEFAULT_TENANT/DEFAULT_KB: the KB the single-workspace routes act on; null = no such routes. */
  readonly defaultWorkspace!: DefaultWorkspace | null;
  readonly loginMaxFailuresPerAccount!: number;
  readonly loginMaxAttemptsPerIp!: number;
  readonly loginWindowSeconds!: number;
  readonly embedding!: EmbeddingConfig;
  readonly llm!: LlmConfig;
  readonly rerank!: RerankConfig;
  /** Where provider endpoints a tenant sets may connect (PROVIDER_ALLOWED_HOSTS); the `*_BASE_URL`s are exempt. */
  readonly providerEgress!: EgressPolicy;
  readonly vectors!: VectorStoreConfig;
  readonly graph!: GraphStoreConfig;
  readonly ingestion!: IngestionConfig;

  constructor(values: AppConfig) {
    Object.assign(this, values);
    Object.freeze(this);
  }

  get embedded(): boolean {
    return this.database.kind === 'embedded';
  }

  /** SHUTDOWN_TIMEOUT_SECONDS in milliseconds: the bound of every shutdown step. */
  get shutdownTimeoutMs(): number {
    return this.shutdownTimeoutSeconds * 1000;
  }

  /** Returns a copy with some values replaced (tests and the embedded secret resolution use it). */
  with(overrides: Partial<AppConfig>): AppConfig {
    return new AppConfig({ ...this, ...overrides } as AppConfig);
  }
}

/**
 * Reads and validates the environment. Throws a ConfigError naming the first bad variable.
 * Pure: it touches no file; embedded secrets are resolved separately.
 */
export function loadConfig(env: Env): AppConfig {
  const dataDir = readString(env, 'DATA_DIR') ?? './data';
  const { database, jwtSecret, masterKey } = readDatabaseAndSecrets(env, dataDir);
  const admin = readAdmin(env);
  const stores = readStores(env);
  const embedding = readEmbedding(env);
  return new AppConfig({
    port: readInteger(env, 'PORT', 3000, 0, 65535),
    host: readString(env, 'HOST') ?? '0.0.0.0',
    dataDir,
    blobDir: readString(env, 'BLOB_DIR') ?? null,
    database,
    redisUrl: readUrl(env, 'REDIS_URL', ['redis:', 'rediss:']) ?? null,
    jobQueuePrefix: readString(env, 'JOB_QUEUE_PREFIX') ?? 'strata',
    jwtSecret,
    masterKey,
    ...admin,
    logLevel: readEnum(env, 'LOG_LEVEL', LOG_LEVELS, 'info'),
    logFormat: readEnum(env, 'LOG_FORMAT', LOG_FORMATS, 'auto'),
    accessTokenTtlSeconds: readInteger(env, 'ACCESS_TOKEN_TTL_SECONDS', 900, 30, 86_400),
    refreshTokenTtlSeconds: readInteger(env, 'REFRESH_TOKEN_TTL_SECONDS', 30 * 86_400, 300, 365 * 86_400),
    bodyLimitBytes: readInteger(env, 'BODY_LIMIT_BYTES', 1024 * 1024, 1024, 64 * 1024 * 1024),
    trustProxy: readBoolean(env, 'TRUST_PROXY', false),
    publicUrl: readUrl(env, 'PUBLIC_URL', ['http:', 'https:'])?.replace(/\/+$/, '') ?? null,
    oidcAllowHttp: readBoolean(env, 'OIDC_ALLOW_HTTP', false),
    localPasswords: readBoolean(env, 'LOCAL_PASSWORDS', true),
    metricsToken: readString(env, 'METRICS_TOKEN') ?? null,
    workerMetricsPort: readInteger(env, 'WORKER_METRICS_PORT', 9464, 0, 65_535),
    defaultWorkspace: readDefaultWorkspace(env),
    shutdownTimeoutSeconds: readInteger(env, 'SHUTDOWN_TIMEOUT_SECONDS', 8, 1, 3600),
    embeddedStatementStatsFile: readString(env, 'EMBEDDED_STATEMENT_STATS_FILE') ?? null,
    searchCachePostings: readInteger(env, 'SEARCH_CACHE_POSTINGS', 8_000_000, 0, 1_000_000_000),
    loginMaxFailuresPerAccount: readInteger(env, 'LOGIN_MAX_FAILURES_PER_ACCOUNT', 10, 1, 10_000),
    loginMaxAttemptsPerIp: readInteger(env, 'LOGIN_MAX_ATTEMPTS_PER_IP', 100, 1, 100_000),
    loginWindowSeconds: readInteger(env, 'LOGIN_WINDOW_SECONDS', 900, 1, 86_400),
    embedding,
    llm: {
      baseUrl: readUrl(env, 'LLM_BASE_URL', ['http:', 'https:']) ?? null,
      model: readString(env, 'LLM_MODEL') ?? null,
      apiKey: readString(env, 'LLM_API_KEY') ?? null,
      timeoutMs: readInteger(env, 'LLM_TIMEOUT_MS', 120_000, 100, 600_000),
      maxRetries: readInteger(env, 'LLM_MAX_RETRIES', 2, 0, 10),
    },
    rerank: {
      baseUrl: readUrl(env, 'RERANK_BASE_URL', ['http:', 'https:']) ?? null,
      model: readString(env, 'RERANK_MODEL') ?? null,
      apiKey: readString(env, 'RERANK_API_KEY') ?? null,
      timeoutMs: readInteger(env, 'RERANK_TIMEOUT_MS', 30_000, 100, 600_000),
      maxRetries: readInteger(env, 'RERANK_MAX_RETRIES', 2, 0, 10),
    },
    providerEgress: readEgressPolicy(env),
    ...stores,
    ingestion: readIngestion(env),
  } as AppConfig);
}

/** The database, and the secrets a server database requires (embedded ones are made at start). */
function readDatabaseAndSecrets(
  env: Env,
  dataDir: string,
): Pick<AppConfig, 'database' | 'jwtSecret' | 'masterKey'> {
  const databaseUrl = readUrl(env, 'DATABASE_URL', ['postgres:', 'postgresql:']);
  const jwtSecret = readString(env, 'JWT_SECRET') ?? null;
  const masterKeyRaw = readString(env, 'MASTER_KEY');
  if (jwtSecret !== null && jwtSecret.length < MIN_JWT_SECRET_LENGTH) {
    throw new ConfigError('JWT_SECRET', `must be at least ${MIN_JWT_SECRET_LENGTH} characters`);
  }
  const masterKey = masterKeyRaw === undefined ? null : decodeMasterKey(masterKeyRaw);
  if (databaseUrl !== undefined) {
    if (jwtSecret === null) throw new ConfigError('JWT_SECRET', 'is required when DATABASE_URL is set');
    if (masterKey === null) throw new ConfigError('MASTER_KEY', 'is required when DATABASE_URL is set');
  }
  const migrationUrl = readUrl(env, 'MIGRATION_DATABASE_URL', ['postgres:', 'postgresql:']) ?? null;
  if (migrationUrl !== null && databaseUrl === undefined) {
    throw new ConfigError('DATABASE_URL', 'is required when MIGRATION_DATABASE_URL is set');
  }
  const database: DatabaseConfig =
    databaseUrl === undefined
      ? { kind: 'embedded', dataDir }
      : {
          kind: 'postgres',
          url: databaseUrl,
          poolSize: readInteger(env, 'DATABASE_POOL_SIZE', 10, 1, 200),
          migrationUrl,
        };
  return { database, jwtSecret, masterKey };
}

/** The first platform admin, made at start when the database has none. */
function readAdmin(env: Env): Pick<AppConfig, 'adminEmail' | 'adminPassword'> {
  const adminPassword = readString(env, 'ADMIN_PASSWORD') ?? null;
  const adminEmailRaw = readString(env, 'ADMIN_EMAIL');
  if (adminPassword !== null && adminEmailRaw === undefined) {
    throw new ConfigError('ADMIN_EMAIL', 'is required when ADMIN_PASSWORD is set');
  }
  if (adminEmailRaw !== undefined && !/^[^\s@]+@[^\s@]+$/.test(adminEmailRaw)) {
    throw new ConfigError('ADMIN_EMAIL', 'is not an email address');
  }
  if (adminPassword !== null && adminPassword.length < MIN_ADMIN_PASSWORD_LENGTH) {
    throw new ConfigError('ADMIN_PASSWORD', `must be at least ${MIN_ADMIN_PASSWORD_LENGTH} characters`);
  }
  return { adminEmail: (adminEmailRaw ?? DEFAULT_ADMIN_EMAIL).toLowerCase(), adminPassword };
}

/** The vector and graph stores: in PostgreSQL unless QDRANT_URL / NEO4J_URL name servers. */
function readStores(env: Env): Pick<AppConfig, 'vectors' | 'graph'> {
  const qdrantUrl = readUrl(env, 'QDRANT_URL', ['http:', 'https:']) ?? null;
  const vectorStore = readEnum(env, 'VECTOR_STORE', VECTOR_STORES, qdrantUrl ? 'qdrant' : 'pgvector');
  if (vectorStore === 'qdrant' && qdrantUrl === null) {
    throw new ConfigError('QDRANT_URL', 'is required when VECTOR_STORE=qdrant');
  }
  const neo4jUrl =
    readUrl(env, 'NEO4J_URL', ['bolt:', 'bolt+s:', 'bolt+ssc:', 'neo4j:', 'neo4j+s:', 'neo4j+ssc:']) ?? null;
  const graphStore = readEnum(env, 'GRAPH_STORE', GRAPH_STORES, neo4jUrl ? 'neo4j' : 'postgres');
  if (graphStore === 'neo4j' && neo4jUrl === null) {
    throw new ConfigError('NEO4J_URL', 'is required when GRAPH_STORE=neo4j');
  }
  return {
    vectors: { kind: vectorStore, qdrantUrl, qdrantApiKey: readString(env, 'QDRANT_API_KEY') ?? null },
    graph: {
      kind: graphStore,
      neo4jUrl,
      neo4jUser: readString(env, 'NEO4J_USER') ?? 'neo4j',
      neo4jPassword: readString(env, 'NEO4J_PASSWORD') ?? null,
      neo4jDatabase: readString(env, 'NEO4J_DATABASE') ?? null,
    },
  };
}

/** The deployment's embedding provider; none (the lexical embedder) by default. */
function readEmbedding(env: Env): EmbeddingConfig {
  const model = readString(env, 'EMBEDDING_MODEL') ?? null;
  const baseUrl = readUrl(env, 'EMBEDDING_BASE_URL', ['http:', 'https:']) ?? null;
  if (baseUrl !== null && model === null) {
    throw new ConfigError('EMBEDDING_MODEL', 'is required when EMBEDDING_BASE_URL is set');
  }
  return {
    baseUrl,
    model,
    apiKey: readString(env, 'EMBEDDING_API_KEY') ?? null,
    batchSize: readInteger(env, 'EMBEDDING_BATCH_SIZE', 64, 1, 2048),
    concurrency: readInteger(env, 'EMBEDDING_CONCURRENCY', 4, 1, 64),
    timeoutMs: readInteger(env, 'EMBEDDING_TIMEOUT_MS', 60_000, 100, 600_000),
    maxRetries: readInteger(env, 'EMBEDDING_MAX_RETRIES', 4, 0, 10),
  };
}

function readIngestion(env: Env): IngestionConfig {
  return {
    runJobsInApi: readBoolean(env, 'RUN_JOBS_IN_API', true),
    concurrency: readInteger(env, 'INGESTION_CONCURRENCY', 2, 1, 64),
    graphConcurrency: readInteger(env, 'GRAPH_CONCURRENCY', 2, 1, 64),
    leaseSeconds: readInteger(env, 'INGESTION_LEASE_SECONDS', 120, 5, 3600),
    graphBatchChunks: readInteger(env, 'GRAPH_BATCH_CHUNKS', 64, 1, 10_000),
    cpuThreads: readInteger(env, 'CPU_THREADS', availableParallelism(), 0, 64),
    parseTimeoutSeconds: readInteger(env, 'PARSE_TIMEOUT_SECONDS', 60, 1, 3600),
    parseMemoryMb: readInteger(env, 'PARSE_MEMORY_MB', 512, 64, 16_384),
    parseMaxExpandedMb: readInteger(env, 'PARSE_MAX_EXPANDED_MB', 100, 1, 10_000),
  };
}

function readEgressPolicy(env: Env): EgressPolicy {
  const raw = readString(env, 'PROVIDER_ALLOWED_HOSTS');
  if (raw === undefined) return EgressPolicy.DEFAULT;
  try {
    return EgressPolicy.parse(raw);
  } catch (error) {
    throw new ConfigError('PROVIDER_ALLOWED_HOSTS', (error as Error).message);
  }
}

/** DEFAULT_TENANT and DEFAULT_KB come together, each a uuid or a slug. */
function readDefaultWorkspace(env: Env): DefaultWorkspace | null {
  const tenant = readString(env, 'DEFAULT_TENANT');
  const kb = readString(env, 'DEFAULT_KB');
  if (tenant === undefined && kb === undefined) return null;
  if (tenant === undefined) throw new ConfigError('DEFAULT_TENANT', 'is required when DEFAULT_KB is set');
  if (kb === undefined) throw new ConfigError('DEFAULT_KB', 'is required when DEFAULT_TENANT is set');
  for (const [name, value] of [
    ['DEFAULT_TENANT', tenant],
    ['DEFAULT_KB', kb],
  ] as const) {
    if (parseIdOrSlug(value) === null) throw new ConfigError(name, 'must be a uuid or a slug');
  }
  return { tenant, kb };
}
