import type { Server } from 'node:http';
import { DynamicModule, INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { json } from 'express';
import {
  AppConfig,
  BootLogger,
  bodyErrorTranslator,
  createValidationPipe,
  InputTextPipe,
  httpMetricsMiddleware,
  requestIdMiddleware,
} from '@strata/core';
import { AppModule } from './app.module';
import { CONSOLE_PATH, consoleDir, consoleRoutes } from './console';
import { describeSingleWorkspaceRoutes, singleWorkspaceRoutes } from './single-workspace';

export const API_PREFIX = 'api/v1';

/**
 * Builds the configured HTTP application (used by main and by the e2e tests). `root` replaces
 * AppModule only for the request-path benchmark, which serves the same handlers without guards.
 */
export async function createApp(
  config: AppConfig,
  options: { logs?: boolean; root?: DynamicModule } = {},
): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(options.root ?? AppModule.forRoot(config), {
    bodyParser: false,
    bufferLogs: options.logs !== false,
    logger: options.logs === false ? false : new BootLogger(config.logLevel),
    abortOnError: false,
  });
  const appConfig = app.get(AppConfig);
  if (options.logs !== false) app.useLogger(app.get(Logger));

  app.use(requestIdMiddleware);
  if (appConfig.defaultWorkspace) app.use(singleWorkspaceRoutes(appConfig.defaultWorkspace));
  app.use(httpMetricsMiddleware);
  app.use(helmet({ contentSecurityPolicy: false }));
  app.use(CONSOLE_PATH, consoleRoutes(consoleDir()));
  app.set('trust proxy', appConfig.trustProxy);
  app.use(json({ limit: appConfig.bodyLimitBytes }));
  app.use(bodyErrorTranslator);
  app.useGlobalPipes(new InputTextPipe(), createValidationPipe());
  app.setGlobalPrefix(API_PREFIX, { exclude: ['health/live', 'health/ready', 'metrics'] });
  app.enableShutdownHooks();

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Strata API')
      .setDescription(
        'Multi-tenant knowledge bases with LightRAG-style retrieval. Errors share one shape with a stable `code`.',
      )
      .setVersion('0.1.0')
      .addBearerAuth({
        type: 'http',
        scheme: 'bearer',
        description: 'A JWT from /auth/login, or an API key sk_…',
      })
      .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key' }, 'api-key')
      .build(),
  );
  if (appConfig.defaultWorkspace) describeSingleWorkspaceRoutes(document, appConfig.defaultWorkspace);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
  return app;
}

/**
 * Listens on the configured address. Idle keep-alive connections are closed after 65 s, not
 * Node's 5: longer than the idle timeout of common load balancers (60 s), which must close first;
 * and a client that reuses a connection while a long embedded-database statement holds the event
 * loop is not reset (ECONNRESET) when the loop comes back and the idle timer fires before its
 * request is read.
 */
export async function listen(app: INestApplication, config: AppConfig): Promise<void> {
  await app.listen(config.port, config.host);
  const server = app.getHttpServer() as Server;
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
}
