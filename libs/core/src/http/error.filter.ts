import { ArgumentsHost, Catch, ExceptionFilter, Logger, Optional } from '@nestjs/common';
import type { Response } from 'express';
import { ErrorCode } from '../errors/error-codes';
import { describeError } from './describe-error';
import { ErrorObserver } from './error-observer';
import { errorBody } from './error-body';
import type { RequestWithId } from './request-id';

/**
 * Maps every error to the JSON error shape. Domain errors keep their code and message; framework
 * errors get a generic code; anything unexpected becomes a 500 with no detail (logged with stack).
 */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('ErrorFilter');

  constructor(@Optional() private readonly observer?: ErrorObserver) {}

  async catch(exception: unknown, host: ArgumentsHost): Promise<void> {
    const http = host.switchToHttp();
    const res = http.getResponse<Response>();
    const req = http.getRequest<RequestWithId>();
    const requestId = req.id ?? null;
    const { status, code, message, headers } = describeError(exception);
    if (status >= 500) {
      this.logger.error({ err: exception, requestId }, 'Unhandled error');
    }
    await this.observer?.observe(req, status, code).catch((error: unknown) => {
      this.logger.error({ err: error, requestId }, 'Error observer failed');
    });
    if (res.headersSent) {
      res.end();
      return;
    }
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    res.status(status).json(this.body(status, code, message, requestId));
  }

  /** The JSON the client gets; routes that speak another API's dialect render their own. */
  protected body(status: number, code: ErrorCode, message: string, requestId: string | null): object {
    return errorBody(status, code, message, requestId);
  }
}
