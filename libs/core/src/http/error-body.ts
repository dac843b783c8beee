import { STATUS_CODES } from 'node:http';
import { ErrorCode } from '../errors/error-codes';

/** The one JSON error shape of the API. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  code: ErrorCode;
  requestId: string | null;
}

export function errorBody(
  statusCode: number,
  code: ErrorCode,
  message: string,
  requestId: string | null,
): ErrorBody {
  return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message, code, requestId };
}
