import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppConfig } from './app-config';
import { ConfigError } from './config-error';
import { decodeMasterKey } from './master-key';

interface SecretsFile {
  jwt_secret: string;
  master_key: string;
}

export const SECRETS_FILE_NAME = 'secrets.json';

/**
 * Embedded mode keeps a generated JWT secret and master key in DATA_DIR/secrets.json (mode 0600),
 * created on first start, so tokens and encrypted settings survive restarts with no setup.
 * Values given in the environment win over the file.
 */
export function resolveEmbeddedSecrets(config: AppConfig): AppConfig {
  if (config.jwtSecret !== null && config.masterKey !== null) return config;
  if (!config.embedded)
    throw new ConfigError('JWT_SECRET', 'and MASTER_KEY are required when DATABASE_URL is set');

  mkdirSync(config.dataDir, { recursive: true });
  const path = join(config.dataDir, SECRETS_FILE_NAME);
  let secrets: SecretsFile;
  if (existsSync(path)) {
    try {
      secrets = JSON.parse(readFileSync(path, 'utf8')) as SecretsFile;
    } catch {
      throw new ConfigError('DATA_DIR', `holds an unreadable ${SECRETS_FILE_NAME}; restore it from a backup`);
    }
    if (typeof secrets.jwt_secret !== 'string' || typeof secrets.master_key !== 'string') {
      throw new ConfigError('DATA_DIR', `holds an incomplete ${SECRETS_FILE_NAME}; restore it from a backup`);
    }
  } else {
    secrets = {
      jwt_secret: randomBytes(48).toString('base64url'),
      master_key: randomBytes(32).toString('base64'),
    };
    writeFileSync(path, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  }
  chmodSync(path, 0o600);
  return config.with({
    jwtSecret: config.jwtSecret ?? secrets.jwt_secret,
    masterKey: config.masterKey ?? decodeMasterKey(secrets.master_key, `${SECRETS_FILE_NAME} master_key`),
  });
}
