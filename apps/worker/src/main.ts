import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { BootLogger, enforceShutdownDeadline, loadConfigOrExit, startMetricsServer } from '@strata/core';
import { WorkerModule } from './worker.module';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  if (config.embedded) {
    // Embedded storage has one owner process, and in embedded mode that is the API, which runs jobs itself.
    process.stderr.write(
      'Configuration error: DATABASE_URL must be set to run a separate worker (embedded mode runs jobs in the API process)\n',
    );
    process.exit(1);
  }
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), {
    bufferLogs: true,
    logger: new BootLogger(config.logLevel),
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  enforceShutdownDeadline(config.shutdownTimeoutSeconds);
  if (config.redisUrl === null) {
    app
      .get(Logger)
      .warn('REDIS_URL is not set: this worker finds work only by polling the database (every 30 s at most)');
  }
  await app.init();
  if (config.workerMetricsPort !== 0) {
    const metrics = await startMetricsServer(config.workerMetricsPort, config.host, config.metricsToken);
    process.once('SIGTERM', () => metrics.close());
    process.once('SIGINT', () => metrics.close());
  }
  process.stdout.write(`Strata worker ready (queue: ${config.redisUrl ? 'Redis' : 'database polling'})\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `Strata worker failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
