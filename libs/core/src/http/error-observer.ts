import type { Request } from 'express';
import type { ErrorCode } from '../errors/error-codes';

/**
 * Told about every error response before it is sent (the audit trail records denials with it).
 * Implementations must not throw; the response goes out either way.
 */
export abstract class ErrorObserver {
  abstract observe(request: Request, status: number, code: ErrorCode): Promise<void>;
}
