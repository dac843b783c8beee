import type { NextFunction, Request, Response } from 'express';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-codes';

interface BodyParserError {
  type?: string;
}

/**
 * Express error middleware placed right after the body parsers: turns their failures into domain
 * errors (Nest would otherwise reduce them to a bare 400 that loses which failure it was).
 */
export function bodyErrorTranslator(error: unknown, _req: Request, _res: Response, next: NextFunction): void {
  switch ((error as BodyParserError)?.type) {
    case 'entity.parse.failed':
      return next(new DomainError(400, ErrorCode.MALFORMED_JSON, 'Request body is not valid JSON'));
    case 'entity.too.large':
      return next(new DomainError(413, ErrorCode.PAYLOAD_TOO_LARGE, 'Request body is too large'));
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return next(
        new DomainError(415, ErrorCode.UNSUPPORTED_MEDIA_TYPE, 'Request body encoding is not supported'),
      );
    default:
      return next(error);
  }
}
