import 'reflect-metadata';
import { enforceShutdownDeadline, loadConfigOrExit } from '@strata/core';
import { createApp, listen } from './create-app';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const app = await createApp(config);
  enforceShutdownDeadline(config.shutdownTimeoutSeconds);
  await listen(app, config);
  const mode = config.embedded ? `embedded storage in ${config.dataDir}` : 'PostgreSQL';
  process.stdout.write(
    `Strata API listening on http://${config.host}:${config.port} (${mode}); docs at /docs\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`Strata failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
