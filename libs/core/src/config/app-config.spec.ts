import { loadConfig } from './app-config';
import { ConfigError } from './config-error';

const SECRET = 's'.repeat(32);
const KEY_HEX = 'ab'.repeat(32);

function errorFor(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('needs no variable for the embedded default', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      dataDir: './data',
      database: { kind: 'embedded', dataDir: './data' },
      redisUrl: null,
      jwtSecret: null,
      masterKey: null,
      adminEmail: 'admin@strata.local',
      adminPassword: null,
      logLevel: 'info',
      accessTokenTtlSeconds: 900,
      embeddedStatementStatsFile: null,
    });
    expect(config.embedded).toBe(true);
    expect(loadConfig({ EMBEDDED_STATEMENT_STATS_FILE: '/tmp/s.json' }).embeddedStatementStatsFile).toBe(
      '/tmp/s.json',
    );
  });

  it('reads a production environment', () => {
    const config = loadConfig({
      PORT: '8080',
      DATABASE_URL: 'postgres://u:p@db:5432/strata',
      REDIS_URL: 'redis://cache:6379',
      JWT_SECRET: SECRET,
      MASTER_KEY: Buffer.alloc(32, 7).toString('base64'),
      ADMIN_EMAIL: 'Ops@Example.com',
      ADMIN_PASSWORD: 'long-enough-password',
      LOG_LEVEL: 'warn',
    });
    expect(config.database).toEqual({
      kind: 'postgres',
      url: 'postgres://u:p@db:5432/strata',
      poolSize: 10,
      migrationUrl: null,
    });
    expect(config.masterKey).toEqual(Buffer.alloc(32, 7));
    expect(config.adminEmail).toBe('ops@example.com');
    expect(config.embedded).toBe(false);
  });

  it.each([
    [{ PORT: 'eighty' }, 'Configuration error: PORT must be an integer, got "eighty"'],
    [{ PORT: '70000' }, 'Configuration error: PORT must be between 0 and 65535, got 70000'],
    [
      { DATABASE_URL: 'mysql://x' },
      'Configuration error: DATABASE_URL must use postgres:// or postgresql://',
    ],
    [{ DATABASE_URL: 'not a url' }, 'Configuration error: DATABASE_URL is not a valid URL'],
    [
      { DATABASE_URL: 'postgres://db/x', MASTER_KEY: KEY_HEX },
      'Configuration error: JWT_SECRET is required when DATABASE_URL is set',
    ],
    [
      { DATABASE_URL: 'postgres://db/x', JWT_SECRET: SECRET },
      'Configuration error: MASTER_KEY is required when DATABASE_URL is set',
    ],
    [{ JWT_SECRET: 'short' }, 'Configuration error: JWT_SECRET must be at least 32 characters'],
    [{ MASTER_KEY: 'abc' }, 'Configuration error: MASTER_KEY must be 32 bytes'],
    [{ REDIS_URL: 'http://cache' }, 'Configuration error: REDIS_URL must use redis:// or rediss://'],
    [
      { ADMIN_PASSWORD: 'long-enough-password' },
      'Configuration error: ADMIN_EMAIL is required when ADMIN_PASSWORD is set',
    ],
    [{ ADMIN_EMAIL: 'nobody' }, 'Configuration error: ADMIN_EMAIL is not an email address'],
    [
      { ADMIN_EMAIL: 'a@b.c', ADMIN_PASSWORD: 'short' },
      'Configuration error: ADMIN_PASSWORD must be at least 12 characters',
    ],
    [
      { LOG_LEVEL: 'loud' },
      'Configuration error: LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "loud"',
    ],
    [{ TRUST_PROXY: 'maybe' }, 'Configuration error: TRUST_PROXY must be true or false, got "maybe"'],
    [{ DEFAULT_KB: 'docs' }, 'Configuration error: DEFAULT_TENANT is required when DEFAULT_KB is set'],
    [{ DEFAULT_TENANT: 'acme' }, 'Configuration error: DEFAULT_KB is required when DEFAULT_TENANT is set'],
    [
      { DEFAULT_TENANT: 'Acme Corp', DEFAULT_KB: 'docs' },
      'Configuration error: DEFAULT_TENANT must be a uuid or a slug',
    ],
  ])('refuses %j with one line naming the variable', (env, message) => {
    const text = errorFor(env);
    expect(text.startsWith(message)).toBe(true);
    expect(text).not.toContain('\n');
  });

  it('reads the single-workspace KB, none by default', () => {
    expect(loadConfig({}).defaultWorkspace).toBeNull();
    expect(loadConfig({ DEFAULT_TENANT: 'acme', DEFAULT_KB: 'docs' }).defaultWorkspace).toEqual({
      tenant: 'acme',
      kb: 'docs',
    });
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: ' ' }).port).toBe(3000);
  });

  it('never echoes a secret value in its message', () => {
    expect(errorFor({ JWT_SECRET: 'hunter2' })).not.toContain('hunter2');
    expect(errorFor({ MASTER_KEY: 'topsecretvalue' })).not.toContain('topsecretvalue');
  });
});
