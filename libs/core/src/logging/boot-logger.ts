import type { LoggerService } from '@nestjs/common';
import type { LogLevel } from '../config/app-config';

/**
 * Nest's logger while the application is being built, before the real (pino) logger exists. Nest
 * buffers what it says then and hands it over once the app is up, where module lines sit at debug.
 * When building fails it flushes the buffer to this logger instead: at the default level that is
 * nothing (the start command prints the one reason it failed), with LOG_LEVEL=debug or trace every
 * line, so an operator can see how far start-up got.
 */
export class BootLogger implements LoggerService {
  private readonly verbose_: boolean;

  constructor(level: LogLevel) {
    this.verbose_ = level === 'debug' || level === 'trace';
  }

  log(message: unknown, context?: string): void {
    this.write('log', message, context);
  }

  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest.at(-1), rest.length > 1 ? rest[0] : undefined);
  }

  warn(message: unknown, context?: string): void {
    this.write('warn', message, context);
  }

  debug(message: unknown, context?: string): void {
    this.write('debug', message, context);
  }

  verbose(message: unknown, context?: string): void {
    this.write('verbose', message, context);
  }

  private write(level: string, message: unknown, context?: unknown, stack?: unknown): void {
    if (!this.verbose_) return;
    const where = typeof context === 'string' ? ` [${context}]` : '';
    const text = message instanceof Error ? message.message : String(message);
    process.stderr.write(`boot ${level}${where} ${text}${typeof stack === 'string' ? `\n${stack}` : ''}\n`);
  }
}
