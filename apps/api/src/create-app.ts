import { DynamicModule, INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { json } from 'express';
import {
  AppConfig,
  bodyErrorTranslator,
  createValidationPipe,
  httpMetricsMiddleware,
  requestIdMiddleware,
} from '@strata/core';
import { AppModule } from './app.module';

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
    logger: options.logs === false ? false : undefined,
    abortOnError: false,
  });
  const appConfig = app.get(AppConfig);
  if (options.logs !== false) app.useLogger(app.get(Logger));

  app.use(requestIdMiddleware);
  app.use(httpMetricsMiddleware);
  app.use(helmet({ contentSecurityPolicy: false }));
  app.set('trust proxy', appConfig.trustProxy);
  app.use(json({ limit: appConfig.bodyLimitBytes }));
  app.use(bodyErrorTranslator);
  app.useGlobalPipes(createValidationPipe());
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
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
  return app;
}
