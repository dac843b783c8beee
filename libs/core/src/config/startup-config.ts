import { AppConfig, loadConfig } from './app-config';
import { ConfigError } from './config-error';
import { resolveEmbeddedSecrets } from './embedded-secrets';

/**
 * The configuration an entry point starts with; a bad value prints its one line and exits 1.
 * `withSecrets: false` leaves DATA_DIR untouched (no secrets file created), for commands that
 * only handle its files.
 */
export function loadConfigOrExit(options: { withSecrets?: boolean } = {}): AppConfig {
  try {
    const config = loadConfig(process.env);
    return options.withSecrets === false ? config : resolveEmbeddedSecrets(config);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}
