import { ErrorCode } from './error-codes';

/**
 * An error the client caused or may act on. The exception filter turns it into the JSON error
 * shape with its HTTP status and stable code; its message must be safe to show to the caller.
 */
export class DomainError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class BadRequest extends DomainError {
  constructor(code: ErrorCode, message: string) {
    super(400, code, message);
  }
}

export class Unauthenticated extends DomainError {
  constructor(code: ErrorCode = ErrorCode.UNAUTHENTICATED, message = 'Authentication required') {
    super(401, code, message);
  }
}

export class Forbidden extends DomainError {
  constructor(code: ErrorCode = ErrorCode.FORBIDDEN, message = 'You are not allowed to do this') {
    super(403, code, message);
  }
}

export class NotFound extends DomainError {
  constructor(code: ErrorCode, message: string) {
    super(404, code, message);
  }
}

export class Conflict extends DomainError {
  constructor(code: ErrorCode, message: string) {
    super(409, code, message);
  }
}

export class TooManyRequests extends DomainError {
  constructor(code: ErrorCode, message: string, retryAfterSeconds: number) {
    super(429, code, message, { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))) });
  }
}

export const tenantNotFound = (): NotFound => new NotFound(ErrorCode.TENANT_NOT_FOUND, 'Tenant not found');
export const knowledgeBaseNotFound = (): NotFound =>
  new NotFound(ErrorCode.KB_NOT_FOUND, 'Knowledge base not found');
