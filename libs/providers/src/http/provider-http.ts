import { setTimeout as sleep } from 'node:timers/promises';
import { createParser } from 'eventsource-parser';
import { fetch, type Response } from 'undici';
import { providerRequestDuration } from '@strata/core';
import { EgressRefused, type EgressGuard } from './egress-guard';
import { ProviderError, type ProviderFailure } from './provider-error';

export interface ProviderRequestOptions {
  apiKey: string | null;
  /** How long the provider may stay silent: until it answers, and between parts of a stream. */
  timeoutMs: number;
  maxRetries: number;
  /** Aborts the call and any wait between retries. */
  signal?: AbortSignal;
  /** Base delay of the exponential backoff; tests shorten it. */
  backoffMs?: number;
  /** The egress policy a tenant-chosen endpoint is held to; null for the operator's own endpoints. */
  egress?: EgressGuard | null;
}

/** What a client of one endpoint (embeddings, chat, rerank) is built with. */
export interface EndpointSettings extends Omit<ProviderRequestOptions, 'signal'> {
  baseUrl: string;
  model: string;
}

const MAX_RETRY_AFTER_MS = 30_000;

/** Records a whole provider call, retries included, in strata_provider_request_duration_seconds. */
async function observed<T>(call: () => Promise<T>): Promise<T> {
  const stop = providerRequestDuration.startTimer();
  try {
    const result = await call();
    stop({ outcome: 'ok' });
    return result;
  } catch (error) {
    stop({ outcome: error instanceof ProviderError ? error.kind : 'error' });
    throw error;
  }
}
const ERROR_BODY_PREVIEW = 300;

/**
 * POSTs JSON to an OpenAI-compatible endpoint and returns the parsed answer. Rate limits (429),
 * server errors (5xx), timeouts and network failures are retried with exponential backoff and
 * jitter, honouring Retry-After; other 4xx answers fail at once.
 */
export function postJson<T>(url: string, body: unknown, options: ProviderRequestOptions): Promise<T> {
  return observed(() => postJsonOnce<T>(url, body, options));
}

async function postJsonOnce<T>(url: string, body: unknown, options: ProviderRequestOptions): Promise<T> {
  return withRetries(url, options, async (exchange) => {
    const response = await send(url, body, options, exchange);
    try {
      return (await response.json()) as T;
    } catch {
      if (exchange.timedOut) throw exchange.timeoutError(true);
      if (options.signal?.aborted) throw cancelled(url);
      throw new ProviderError(
        `${hostOf(url)} answered with a body that is not JSON`,
        'malformed',
        response.status,
      );
    } finally {
      exchange.end();
    }
  });
}

/**
 * POSTs JSON and reads the answer as Server-Sent Events, handing each event's data to `onData`.
 * Failures before the stream starts are retried like `postJson`; once data has flowed, a failure
 * ends the call (the caller has already passed parts on). A stream silent for `timeoutMs` fails
 * as a timeout.
 */
export function postEventStream(
  url: string,
  body: unknown,
  options: ProviderRequestOptions,
  onData: (data: string) => void,
): Promise<void> {
  return observed(() => readEventStream(url, body, options, onData));
}

async function readEventStream(
  url: string,
  body: unknown,
  options: ProviderRequestOptions,
  onData: (data: string) => void,
): Promise<void> {
  const { res, exchange } = await withRetries(url, options, (exchange) =>
    send(url, body, options, exchange).then((res) => ({ res, exchange })),
  );
  if (!res.body) throw new ProviderError(`${hostOf(url)} answered without a body`, 'malformed', res.status);
  const parser = createParser({ onEvent: (event) => onData(event.data) });
  const decoder = new TextDecoder();
  exchange.touch();
  try {
    for await (const part of res.body as AsyncIterable<Uint8Array>) {
      exchange.touch();
      parser.feed(decoder.decode(part, { stream: true }));
    }
  } catch (error) {
    if (error instanceof ProviderError) throw error;
    if (exchange.timedOut) throw exchange.timeoutError(false);
    if (options.signal?.aborted) throw cancelled(url);
    throw new ProviderError(`${hostOf(url)} broke off its answer`, 'unavailable', res.status, {
      cause: causeOf(error) ?? error,
    });
  } finally {
    exchange.end();
  }
}

/** A failure worth another attempt, with the server's Retry-After if it gave one. */
class RetryableProviderError extends ProviderError {
  constructor(
    message: string,
    kind: ProviderFailure,
    status: number | null,
    readonly retryAfterMs: number | null,
    errorOptions?: ErrorOptions,
  ) {
    super(message, kind, status, errorOptions);
  }
}

async function withRetries<T>(
  url: string,
  options: ProviderRequestOptions,
  attempt: (exchange: Exchange) => Promise<T>,
): Promise<T> {
  const backoff = options.backoffMs ?? 250;
  let lastError: RetryableProviderError | null = null;
  for (let n = 0; n <= options.maxRetries; n++) {
    if (n > 0) {
      const retryAfter = lastError?.retryAfterMs ?? null;
      const delay = retryAfter ?? backoff * 2 ** (n - 1) * (0.5 + Math.random());
      await sleep(Math.min(delay, MAX_RETRY_AFTER_MS), undefined, { signal: options.signal }).catch(() => {
        throw cancelled(url);
      });
    }
    const exchange = new Exchange(url, options);
    try {
      return await attempt(exchange);
    } catch (error) {
      exchange.end();
      if (!(error instanceof RetryableProviderError)) throw error;
      lastError = error;
    }
  }
  throw new ProviderError(
    `${lastError!.message} (gave up after ${options.maxRetries + 1} attempts)`,
    lastError!.kind,
    lastError!.status,
    { cause: lastError!.cause },
  );
}

/**
 * One HTTP exchange whose deadline each sign of life pushes back, so a long answer that keeps
 * streaming is fine and a stalled one is not.
 */
class Exchange {
  readonly signal: AbortSignal;
  timedOut = false;
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly url: string,
    private readonly options: ProviderRequestOptions,
  ) {
    this.signal = options.signal
      ? AbortSignal.any([options.signal, this.controller.signal])
      : this.controller.signal;
    this.touch();
  }

  touch(): void {
    this.end();
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.controller.abort();
    }, this.options.timeoutMs);
  }

  end(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  timeoutError(retryable: boolean): ProviderError {
    const message = `${hostOf(this.url)} did not answer within ${this.options.timeoutMs} ms`;
    return retryable
      ? new RetryableProviderError(message, 'timeout', null, null)
      : new ProviderError(message, 'timeout');
  }
}

/** Sends the request and answers the response once it is OK; failures come out classified. */
async function send(
  url: string,
  body: unknown,
  options: ProviderRequestOptions,
  exchange: Exchange,
): Promise<Response> {
  const egress = options.egress ?? null;
  const refusal = egress?.refusalOf(url) ?? null;
  if (refusal !== null) throw notAllowed(url, refusal);
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
      },
      body: JSON.stringify(body),
      signal: exchange.signal,
      // A redirect could lead a tenant-chosen endpoint anywhere, an address literal past the lookup.
      ...(egress ? { dispatcher: egress.dispatcher, redirect: 'manual' as const } : {}),
    });
  } catch (error) {
    if (options.signal?.aborted) throw cancelled(url);
    if (exchange.timedOut) throw exchange.timeoutError(true);
    const cause = causeOf(error);
    if (cause instanceof EgressRefused) throw notAllowed(url, cause.message);
    // The network's own words (refused, reset, not found) stay out of the message: to a tenant
    // they would map which hosts and ports answer. The cause keeps them for the logs.
    throw new RetryableProviderError(`${hostOf(url)} could not be reached`, 'unavailable', null, null, {
      cause: cause ?? error,
    });
  }
  if (response.ok) return response;
  if (egress && response.status >= 300 && response.status < 400) {
    await response.body?.cancel().catch(() => undefined);
    throw new ProviderError(
      `${hostOf(url)} answered with a redirect (${response.status}), which endpoints set by a tenant may not follow`,
      'rejected',
      response.status,
    );
  }
  const preview = (await response.text().catch(() => '')).slice(0, ERROR_BODY_PREVIEW);
  const message = `${hostOf(url)} answered ${response.status}${preview ? `: ${preview}` : ''}`;
  if (response.status === 429 || response.status >= 500) {
    throw new RetryableProviderError(
      message,
      response.status === 429 ? 'rate_limited' : 'unavailable',
      response.status,
      retryAfterMs(response.headers.get('retry-after')),
    );
  }
  throw new ProviderError(message, 'rejected', response.status);
}

const notAllowed = (url: string, reason: string) =>
  new ProviderError(
    `${hostOf(url)} is not allowed by this deployment's egress policy (PROVIDER_ALLOWED_HOSTS): ${reason}`,
    'forbidden',
  );

function retryAfterMs(header: string | null): number | null {
  if (header === null) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}

const cancelled = (url: string) => new ProviderError(`call to ${hostOf(url)} was cancelled`, 'cancelled');

/** Errors name the host and path only: URLs may carry credentials in their query or user part. */
export function hostOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.host}${parsed.pathname}`;
  } catch {
    return 'provider';
  }
}

/** What a failed fetch says went wrong underneath ("fetch failed" alone says nothing). */
function causeOf(error: unknown): Error | undefined {
  const cause = (error as { cause?: unknown }).cause;
  // Not instanceof: errors made by Node's own code may come from another realm (as under jest).
  return typeof cause === 'object' && cause !== null ? (cause as Error) : undefined;
}
