import { Catch } from '@nestjs/common';
import { ErrorCode, ErrorFilter } from '@strata/core';

/** OpenAI's error `type` for an HTTP status. */
export function openAiErrorType(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 429) return 'rate_limit_error';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}

/** An error as OpenAI's API answers it, with Strata's stable code as `code`. */
export const openAiErrorBody = (
  status: number,
  code: ErrorCode,
  message: string,
  requestId: string | null,
) => ({
  error: { message, type: openAiErrorType(status), param: null, code, request_id: requestId },
});

/**
 * The OpenAI-compatible routes answer errors in OpenAI's shape, so that its clients show the
 * message; the status, the code and the audit of refusals are those of every other route.
 */
@Catch()
export class OpenAiErrorFilter extends ErrorFilter {
  protected override body(
    status: number,
    code: ErrorCode,
    message: string,
    requestId: string | null,
  ): object {
    return openAiErrorBody(status, code, message, requestId);
  }
}
