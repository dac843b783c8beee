import type { Response } from 'express';

/**
 * A response that streams as it is written: opened at once with no buffering by proxies, and
 * aborted (see `signal`) when the client goes away before it ends. Subclasses frame the events.
 */
export abstract class OpenStream {
  private readonly closed = new AbortController();

  constructor(
    private readonly res: Response,
    contentType: string,
  ) {
    res.status(200);
    res.setHeader('content-type', contentType);
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

  end(): void {
    if (!this.res.writableEnded) this.res.end();
  }

  /** Writes unless the client left or the stream ended. */
  protected write(text: string): void {
    if (this.closed.signal.aborted || this.res.writableEnded) return;
    this.res.write(text);
  }
}
