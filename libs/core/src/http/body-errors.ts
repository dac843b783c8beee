import type { NextFunction, Request, Response } from 'express';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-codes';

interface BodyParserError {
  type?: string;
  /** http-errors' status: body-parser's own failures carry one. */
  status?: number;
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
    default: {
      // Anything else the parser refused as the client's fault: a body that does not decode with
      // its Content-Encoding (zlib's errors), a request cut short.
      const status = (error as BodyParserError)?.status;
      if (typeof status === 'number' && status >= 400 && status < 500)
        return next(
          new DomainError(
            400,
            ErrorCode.UNREADABLE_BODY,
            'Request body could not be read as its headers describe it',
          ),
        );
      return next(error);
    }
  }
}
