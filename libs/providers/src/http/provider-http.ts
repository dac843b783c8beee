import { setTimeout as sleep } from 'node:timers/promises';
import { ProviderError } from './provider-error';

export interface ProviderRequestOptions {
  apiKey: string | null;
  timeoutMs: number;
  maxRetries: number;
  /** Aborts the call and any wait between retries. */
  signal?: AbortSignal;
  /** Base delay of the exponential backoff; tests shorten it. */
  backoffMs?: number;
}

const MAX_RETRY_AFTER_MS = 30_000;
const ERROR_BODY_PREVIEW = 300;

/**
 * POSTs JSON to an OpenAI-compatible endpoint and returns the parsed answer. Rate limits (429),
 * server errors (5xx), timeouts and network failures are retried with exponential backoff and
 * jitter, honouring Retry-After; other 4xx answers fail at once.
 */
export async function postJson<T>(url: string, body: unknown, options: ProviderRequestOptions): Promise<T> {
  const backoff = options.backoffMs ?? 250;
  let lastError: RetryableProviderError | null = null;
  for (let attempt = 0; attempt <= options.maxRetries; attempt++) {
    if (attempt > 0) {
      const retryAfter = lastError?.retryAfterMs ?? null;
      const delay = retryAfter ?? backoff * 2 ** (attempt - 1) * (0.5 + Math.random());
      await sleep(Math.min(delay, MAX_RETRY_AFTER_MS), undefined, { signal: options.signal }).catch(() => {
        throw aborted(url);
      });
    }
    try {
      return await attemptOnce<T>(url, body, options);
    } catch (error) {
      if (!(error instanceof RetryableProviderError)) throw error;
      lastError = error;
    }
  }
  throw new ProviderError(
    `${lastError!.message} (gave up after ${options.maxRetries + 1} attempts)`,
    lastError!.status,
    true,
  );
}

/** A failure worth another attempt, with the server's Retry-After if it gave one. */
class RetryableProviderError extends ProviderError {
  constructor(
    message: string,
    status: number | null,
    readonly retryAfterMs: number | null,
  ) {
    super(message, status, true);
  }
}

async function attemptOnce<T>(url: string, body: unknown, options: ProviderRequestOptions): Promise<T> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
      },
      body: JSON.stringify(body),
      signal,
    });
  } catch (error) {
    if (options.signal?.aborted) throw aborted(url);
    if (timeout.aborted) {
      throw new RetryableProviderError(
        `${hostOf(url)} did not answer within ${options.timeoutMs} ms`,
        null,
        null,
      );
    }
    throw new RetryableProviderError(`${hostOf(url)} is unreachable: ${causeOf(error)}`, null, null);
  }
  if (response.ok) {
    try {
      return (await response.json()) as T;
    } catch {
      throw new ProviderError(`${hostOf(url)} answered with a body that is not JSON`, response.status, false);
    }
  }
  const preview = (await response.text().catch(() => '')).slice(0, ERROR_BODY_PREVIEW);
  const message = `${hostOf(url)} answered ${response.status}${preview ? `: ${preview}` : ''}`;
  if (response.status === 429 || response.status >= 500) {
    throw new RetryableProviderError(
      message,
      response.status,
      retryAfterMs(response.headers.get('retry-after')),
    );
  }
  throw new ProviderError(message, response.status, false);
}

function retryAfterMs(header: string | null): number | null {
  if (header === null) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}

const aborted = (url: string) => new ProviderError(`call to ${hostOf(url)} was cancelled`, null, false);

/** Errors name the host and path only: URLs may carry credentials in their query or user part. */
function hostOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.host}${parsed.pathname}`;
  } catch {
    return 'provider';
  }
}

function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}
