import { ConfigError } from './config-error';
import { decodeMasterKey } from './master-key';
import { Env, readBoolean, readEnum, readInteger, readString, readUrl } from './env-readers';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const MIN_JWT_SECRET_LENGTH = 32;
const MIN_ADMIN_PASSWORD_LENGTH = 12;
const DEFAULT_ADMIN_EMAIL = 'admin@strata.local';

export type DatabaseConfig =
  { kind: 'embedded'; dataDir: string | null } | { kind: 'postgres'; url: string; poolSize: number };

/**
 * The validated configuration of a Strata process. `jwtSecret`/`masterKey` are null only until
 * embedded secrets are resolved (see `resolveEmbeddedSecrets`); in server mode they are required.
 */
export class AppConfig {
  readonly port!: number;
  readonly host!: string;
  readonly dataDir!: string;
  readonly database!: DatabaseConfig;
  readonly redisUrl!: string | null;
  readonly jwtSecret!: string | null;
  readonly masterKey!: Buffer | null;
  readonly adminEmail!: string;
  readonly adminPassword!: string | null;
  readonly logLevel!: LogLevel;
  readonly accessTokenTtlSeconds!: number;
  readonly refreshTokenTtlSeconds!: number;
  readonly bodyLimitBytes!: number;
  readonly trustProxy!: boolean;
  readonly loginMaxFailuresPerAccount!: number;
  readonly loginMaxAttemptsPerIp!: number;
  readonly loginWindowSeconds!: number;

  constructor(values: AppConfig) {
    Object.assign(this, values);
    Object.freeze(this);
  }

  get embedded(): boolean {
    return this.database.kind === 'embedded';
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
  const databaseUrl = readUrl(env, 'DATABASE_URL', ['postgres:', 'postgresql:']);
  const dataDir = readString(env, 'DATA_DIR') ?? './data';
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

  const database: DatabaseConfig =
    databaseUrl === undefined
      ? { kind: 'embedded', dataDir }
      : { kind: 'postgres', url: databaseUrl, poolSize: readInteger(env, 'DATABASE_POOL_SIZE', 10, 1, 200) };

  return new AppConfig({
    port: readInteger(env, 'PORT', 3000, 0, 65535),
    host: readString(env, 'HOST') ?? '0.0.0.0',
    dataDir,
    database,
    redisUrl: readUrl(env, 'REDIS_URL', ['redis:', 'rediss:']) ?? null,
    jwtSecret,
    masterKey,
    adminEmail: (adminEmailRaw ?? DEFAULT_ADMIN_EMAIL).toLowerCase(),
    adminPassword,
    logLevel: readEnum(env, 'LOG_LEVEL', LOG_LEVELS, 'info'),
    accessTokenTtlSeconds: readInteger(env, 'ACCESS_TOKEN_TTL_SECONDS', 900, 30, 86_400),
    refreshTokenTtlSeconds: readInteger(env, 'REFRESH_TOKEN_TTL_SECONDS', 30 * 86_400, 300, 365 * 86_400),
    bodyLimitBytes: readInteger(env, 'BODY_LIMIT_BYTES', 1024 * 1024, 1024, 64 * 1024 * 1024),
    trustProxy: readBoolean(env, 'TRUST_PROXY', false),
    loginMaxFailuresPerAccount: readInteger(env, 'LOGIN_MAX_FAILURES_PER_ACCOUNT', 10, 1, 10_000),
    loginMaxAttemptsPerIp: readInteger(env, 'LOGIN_MAX_ATTEMPTS_PER_IP', 100, 1, 100_000),
    loginWindowSeconds: readInteger(env, 'LOGIN_WINDOW_SECONDS', 900, 1, 86_400),
  } as AppConfig);
}
