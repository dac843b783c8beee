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
    const body = (await response.json().catch(() => null)) as {
      code?: string;
      message?: string | string[];
      requestId?: string;
    } | null;
    const message = Array.isArray(body?.message) ? body.message.join('; ') : body?.message;
    return new ApiError(
      response.status,
      body?.code ?? 'HTTP_' + response.status,
      message ?? response.statusText,
      body?.requestId ?? null,
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
