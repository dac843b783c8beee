/**
 * How a provider call failed: `timeout` (no answer, or the answer stalled, within the timeout),
 * `rate_limited` (429), `unavailable` (5xx or unreachable), `rejected` (another 4xx), `malformed`
 * (an answer that is not what the API promises), `cancelled` (the caller gave up), `forbidden`
 * (the egress policy does not let the call go to that host).
 */
export type ProviderFailure =
  'timeout' | 'rate_limited' | 'unavailable' | 'rejected' | 'malformed' | 'cancelled' | 'forbidden';

/**
 * A provider (embedding, LLM, rerank) failed. The message names the provider and what went wrong
 * and never carries its credentials; callers turn it into a failed document or a 502/504.
 */
export class ProviderError extends Error {
  constructor(
    message: string,
    readonly kind: ProviderFailure,
    /** HTTP status of the last attempt; null for network errors and timeouts. */
    readonly status: number | null = null,
    /** `cause` holds what failed underneath (for logs); the message never repeats it. */
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'ProviderError';
  }

  /** Whether trying again later may help. */
  get transient(): boolean {
    return this.kind === 'timeout' || this.kind === 'rate_limited' || this.kind === 'unavailable';
  }
}
