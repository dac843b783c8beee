import type { Response } from 'express';

/**
 * A Server-Sent Events answer on an Express response: opens the stream (no buffering by proxies),
 * writes named JSON events, and turns the client closing the connection into an abort signal.
 */
export class ServerSentEvents {
  private readonly closed = new AbortController();

  constructor(private readonly res: Response) {
    res.status(200);
    res.setHeader('content-type', 'text/event-stream; charset=utf-8');
    res.setHeader('cache-control', 'no-cache, no-transform');
    res.setHeader('x-accel-buffering', 'no');
    res.flushHeaders();
    res.on('close', () => {
      if (!res.writableFinished) this.closed.abort();
    });
  }

  /** Aborted when the client goes away before the stream ends. */
  get signal(): AbortSignal {
    return this.closed.signal;
  }

  send(event: string, data: unknown): void {
    if (this.closed.signal.aborted || this.res.writableEnded) return;
    this.res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  /** An unnamed event, as OpenAI-style streams send them; a string goes as it is (`[DONE]`). */
  data(payload: unknown): void {
    if (this.closed.signal.aborted || this.res.writableEnded) return;
    this.res.write(`data: ${typeof payload === 'string' ? payload : JSON.stringify(payload)}\n\n`);
  }

  end(): void {
    if (!this.res.writableEnded) this.res.end();
  }
}
