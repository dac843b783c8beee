import type { Logger } from '@nestjs/common';
import { type DescribedError, DomainError, describeError } from '@strata/core';
import type { QueryResponse } from '../dto/query.dto';
import type { PreparedQuery, QueryService } from '../query.service';

/** Where a streamed answer goes, in whatever framing the route speaks (SSE, NDJSON). */
export interface AnswerStream {
  /** Aborted when the client went away: the answer stops and nothing more is written. */
  readonly signal: AbortSignal;
  delta(text: string): void;
  /** May finish work of its own first (a conversation stores its turn), then sends the whole. */
  done(answer: QueryResponse): void | Promise<void>;
  /** The answer failed after the stream opened (no HTTP status can say so any more). */
  failed(error: DescribedError): void;
  end(): void;
}

/**
 * Answers a prepared query into an open stream: its pieces as they come, then the whole, or the
 * error; a client that left ends it quietly. Unexpected errors are logged with the request id.
 */
export async function streamAnswer(
  queries: QueryService,
  prepared: PreparedQuery,
  stream: AnswerStream,
  logger: Logger,
  requestId: string | null,
): Promise<void> {
  try {
    await stream.done(await queries.answer(prepared, (text) => stream.delta(text), stream.signal));
  } catch (error) {
    if (stream.signal.aborted) return;
    if (!(error instanceof DomainError)) logger.error({ err: error, requestId }, 'Streamed answer failed');
    stream.failed(describeError(error));
  } finally {
    stream.end();
  }
}
