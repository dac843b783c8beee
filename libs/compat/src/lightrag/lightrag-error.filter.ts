import { Catch } from '@nestjs/common';
import { ErrorCode, ErrorFilter } from '@strata/core';

/** An error as LightRAG's server (FastAPI) answers it: `detail` is what its clients show. */
export const lightRagErrorBody = (message: string, code: ErrorCode, requestId: string | null) => ({
  detail: message,
  code,
  request_id: requestId,
});

/** The LightRAG-compatible routes answer errors in LightRAG's shape; status, code and audit are Strata's. */
@Catch()
export class LightRagErrorFilter extends ErrorFilter {
  protected override body(
    _status: number,
    code: ErrorCode,
    message: string,
    requestId: string | null,
  ): object {
    return lightRagErrorBody(message, code, requestId);
  }
}
