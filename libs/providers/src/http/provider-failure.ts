import { DomainError, ErrorCode } from '@strata/core';
import { ProviderError } from './provider-error';

/**
 * A provider's failure as the client sees it: 504 PROVIDER_TIMEOUT when it did not answer in
 * time, 502 PROVIDER_HOST_NOT_ALLOWED when the egress policy kept the call from its host, 502
 * PROVIDER_ERROR otherwise. Anything else passes through unchanged.
 */
export function asProviderFailure(error: unknown, provider: string): unknown {
  if (!(error instanceof ProviderError)) return error;
  if (error.kind === 'forbidden') {
    return new DomainError(502, ErrorCode.PROVIDER_HOST_NOT_ALLOWED, `The ${provider} at ${error.message}`);
  }
  return error.kind === 'timeout'
    ? new DomainError(
        504,
        ErrorCode.PROVIDER_TIMEOUT,
        `The ${provider} did not answer in time: ${error.message}`,
      )
    : new DomainError(502, ErrorCode.PROVIDER_ERROR, `The ${provider} failed: ${error.message}`);
}
