/**
 * A provider (embedding, LLM, rerank) failed. The message names the provider and what went wrong
 * and never carries its credentials; callers turn it into a failed document or a 502.
 */
export class ProviderError extends Error {
  constructor(
    message: string,
    /** HTTP status of the last attempt; null for network errors and timeouts. */
    readonly status: number | null,
    /** Whether trying again later may help (rate limits, server errors, timeouts). */
    readonly transient: boolean,
  ) {
    super(message);
    this.name = 'ProviderError';
  }
}
