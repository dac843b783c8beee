import { Module, RequestMethod } from '@nestjs/common';
import { LoggerModule as PinoLoggerModule } from 'nestjs-pino';
import { AppConfig } from '../config/app-config';
import type { RequestWithId } from '../http/request-id';

/** JSON logs through pino; credentials and cookies are redacted, bodies are never logged. */
@Module({
  imports: [
    PinoLoggerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        // Express 5 route syntax for "every path" (the library's default '*' is the old syntax).
        forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
        pinoHttp: {
          level: config.logLevel,
          genReqId: (req) => (req as RequestWithId).id ?? '',
          redact: {
            paths: [
              'req.headers.authorization',
              'req.headers["x-api-key"]',
              'req.headers.cookie',
              'res.headers["set-cookie"]',
            ],
            censor: '[redacted]',
          },
          serializers: {
            req: (req: { id: string; method: string; url: string }) => ({
              id: req.id,
              method: req.method,
              url: req.url,
            }),
          },
          // Who acted where, once authentication and tenant resolution have run (ids only).
          customProps: (req) => {
            const { strataTenantId, strataKbId, user } = req as {
              strataTenantId?: string;
              strataKbId?: string;
              user?: { type?: string; id?: string };
            };
            return {
              ...(strataTenantId ? { tenantId: strataTenantId } : {}),
              ...(strataKbId ? { kbId: strataKbId } : {}),
              ...(user?.id ? { principal: `${user.type}:${user.id}` } : {}),
            };
          },
        },
      }),
    }),
  ],
})
export class LoggerModule {}
