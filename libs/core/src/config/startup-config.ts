import { AppConfig, loadConfig } from './app-config';
import { ConfigError } from './config-error';
import { resolveEmbeddedSecrets } from './embedded-secrets';

/** The configuration an entry point starts with; a bad value prints its one line and exits 1. */
export function loadConfigOrExit(): AppConfig {
  try {
    return resolveEmbeddedSecrets(loadConfig(process.env));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}
