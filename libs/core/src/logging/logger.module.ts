import { Module, RequestMethod } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoggerModule as PinoLoggerModule } from 'nestjs-pino';
import type { LevelWithSilent } from 'pino';
import { AppConfig } from '../config/app-config';
import type { RequestWithId } from '../http/request-id';

/** Nest's start-up chatter (a line per module and route): kept for LOG_LEVEL=debug. */
const BOOT_CONTEXTS = new Set([
  'NestFactory',
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'NestApplication',
]);
const INFO = 30;

/**
 * Logs through pino: JSON, or readable lines on a terminal (LOG_FORMAT). Credentials and cookies
 * are redacted, bodies are never logged, a request's line holds its method, path, status and time.
 */
@Module({
  imports: [
    PinoLoggerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        // Express 5 route syntax for "every path" (the library's default '*' is the old syntax).
        forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
        pinoHttp: {
          level: config.logLevel,
          ...(prettyOutput(config) ? { transport: PRETTY } : {}),
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
            // The status says what happened; the response's (security) headers are the same every time.
            res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
          },
          // A client's mistake is not the server's: 4xx warn, 5xx error.
          customLogLevel: (_req: IncomingMessage, res: ServerResponse, error?: Error): LevelWithSilent =>
            error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
          customSuccessMessage: (req: IncomingMessage, res: ServerResponse, time: number) =>
            `${req.method} ${req.url} ${res.statusCode} ${Math.round(time)} ms`,
          customErrorMessage: (req: IncomingMessage, res: ServerResponse) =>
            `${req.method} ${req.url} ${res.statusCode}`,
          hooks: {
            logMethod(args: unknown[], method: (...args: unknown[]) => void, level: number) {
              const context = (args[0] as { context?: unknown } | null)?.context;
              const chatter = level === INFO && typeof context === 'string' && BOOT_CONTEXTS.has(context);
              if (chatter && !this.isLevelEnabled('debug')) return;
              method.apply(this, args);
            },
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

function prettyOutput(config: AppConfig): boolean {
  return config.logFormat === 'pretty' || (config.logFormat === 'auto' && process.stdout.isTTY === true);
}

/** One line per event: time, level, context and message (in colour where the terminal has it). */
const PRETTY = {
  target: 'pino-pretty',
  options: {
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname,req,res,responseTime,context',
    messageFormat: '{if context}[{context}] {end}{msg}',
    singleLine: true,
  },
};
