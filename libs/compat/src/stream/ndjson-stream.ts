import type { Response } from 'express';

/**
 * A newline-delimited JSON answer on an Express response (how Ollama and LightRAG stream): opens
 * it unbuffered, writes one JSON object per line, and turns the client closing the connection
 * into an abort signal.
 */
export class NdjsonStream {
  private readonly closed = new AbortController();

  constructor(private readonly res: Response) {
    res.status(200);
    res.setHeader('content-type', 'application/x-ndjson; charset=utf-8');
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

  line(value: unknown): void {
    if (this.closed.signal.aborted || this.res.writableEnded) return;
    this.res.write(`${JSON.stringify(value)}\n`);
  }

  end(): void {
    if (!this.res.writableEnded) this.res.end();
  }
}
