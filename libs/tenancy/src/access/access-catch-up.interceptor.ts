import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { catchError, concatMap, from, Observable, throwError } from 'rxjs';
import { AccessChangeFeed } from './access-change-feed';

/** Methods that never change what the access cache holds. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Read-your-writes for access changes: a request that may have changed who may do what (any
 * method but GET, HEAD and OPTIONS) answers only once this replica has heard its own changes, so
 * that the caller's next request is not judged from the cache the notification has yet to reach
 * (a quota raised, then the very next request refused under the old one). Other replicas hear
 * the change as it reaches them, a few milliseconds later. A handler that sent its answer itself
 * (a query's event stream) is not held up.
 */
@Injectable()
export class AccessCatchUpInterceptor implements NestInterceptor {
  constructor(private readonly feed: AccessChangeFeed) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<Request>();
    if (SAFE_METHODS.has(request.method)) return next.handle();
    const response = context.switchToHttp().getResponse<Response>();
    const catchUp = () => (response.headersSent ? Promise.resolve() : this.feed.catchUp());
    return next.handle().pipe(
      concatMap((value) => from(catchUp().then(() => value))),
      // A refused request may still have committed part of its work before failing.
      catchError((error: unknown) => from(catchUp()).pipe(concatMap(() => throwError(() => error)))),
    );
  }
}
