import 'reflect-metadata';
import { ConfigError, loadConfig, resolveEmbeddedSecrets } from '@strata/core';
import { createApp } from './create-app';

async function main(): Promise<void> {
  let config;
  try {
    config = resolveEmbeddedSecrets(loadConfig(process.env));
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const app = await createApp(config);
  await app.listen(config.port, config.host);
  const mode = config.embedded ? `embedded storage in ${config.dataDir}` : 'PostgreSQL';
  process.stdout.write(
    `Strata API listening on http://${config.host}:${config.port} (${mode}); docs at /docs\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`Strata failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
