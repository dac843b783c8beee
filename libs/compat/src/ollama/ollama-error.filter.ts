import { Catch } from '@nestjs/common';
import { ErrorCode, ErrorFilter } from '@strata/core';

/** An error as Ollama answers it (`error` is the message its clients show), with Strata's code beside it. */
export const ollamaErrorBody = (message: string, code: ErrorCode, requestId: string | null) => ({
  error: message,
  code,
  request_id: requestId,
});

/** The Ollama-compatible routes answer errors in Ollama's shape; status, code and audit are Strata's. */
@Catch()
export class OllamaErrorFilter extends ErrorFilter {
  protected override body(
    _status: number,
    code: ErrorCode,
    message: string,
    requestId: string | null,
  ): object {
    return ollamaErrorBody(message, code, requestId);
  }
}
