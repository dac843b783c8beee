import 'reflect-metadata';
import { enforceShutdownDeadline, loadConfigOrExit } from '@strata/core';
import { createApp, listen } from './create-app';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const app = await createApp(config);
  enforceShutdownDeadline(config.shutdownTimeoutSeconds);
  await listen(app, config);
  const mode = config.embedded ? `embedded storage in ${config.dataDir}` : 'PostgreSQL';
  // An address that means "every interface" is not one a browser can open.
  const host = ['0.0.0.0', '::'].includes(config.host) ? 'localhost' : config.host;
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${config.port}`;
  process.stdout.write(
    `Strata API listening on ${origin} (${mode})\n  console:  ${origin}/console\n  API docs: ${origin}/docs\n`,
  );
}

main().catch((error: unknown) => {
  const reason = error instanceof Error ? error.message : String(error);
  process.stderr.write(`Strata failed to start: ${reason}\n  (LOG_LEVEL=debug shows how far start-up got)\n`);
  process.exit(1);
});
