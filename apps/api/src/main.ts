import 'reflect-metadata';
import type { Server } from 'node:http';
import { loadConfigOrExit } from '@strata/core';
import { createApp } from './create-app';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const app = await createApp(config);
  await app.listen(config.port, config.host);
  const server = app.getHttpServer() as Server;
  // Idle keep-alive connections are closed after 65 s, not Node's 5: longer than the idle timeout
  // of common load balancers (60 s), which must close first; and a client that reuses a connection
  // while a long embedded-database statement holds the event loop is not reset (ECONNRESET) when
  // the loop comes back and the idle timer fires before its request is read.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  const mode = config.embedded ? `embedded storage in ${config.dataDir}` : 'PostgreSQL';
  process.stdout.write(
    `Strata API listening on http://${config.host}:${config.port} (${mode}); docs at /docs\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`Strata failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
