/** An error answer of the API, in its one error shape. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId: string | null = null,
  ) {
    super(message);
  }

  static async from(response: Response): Promise<ApiError> {
    return ApiError.fromBody(response.status, response.statusText, await response.json().catch(() => null));
  }

  /** From an answer's status and its parsed body (null when it was not JSON). */
  static fromBody(status: number, statusText: string, body: unknown): ApiError {
    const shape = body as { code?: string; message?: string | string[]; requestId?: string } | null;
    const message = Array.isArray(shape?.message) ? shape.message.join('; ') : shape?.message;
    return new ApiError(
      status,
      shape?.code ?? `HTTP_${status}`,
      message ?? statusText,
      shape?.requestId ?? null,
    );
  }
}

/** Words for a failed call, with the request id to quote for a server error. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError)
    return error.status >= 500 && error.requestId
      ? `${error.message} (request ${error.requestId})`
      : error.message;
  return error instanceof Error ? error.message : String(error);
}
