import type { Response } from 'express';
import { OpenStream } from './open-stream';

/** A Server-Sent Events answer: named JSON events, or unnamed ones as OpenAI-style streams send. */
export class ServerSentEvents extends OpenStream {
  constructor(res: Response) {
    super(res, 'text/event-stream; charset=utf-8');
  }

  send(event: string, data: unknown): void {
    this.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  /** An unnamed event; a string goes as it is (`[DONE]`). */
  data(payload: unknown): void {
    this.write(`data: ${typeof payload === 'string' ? payload : JSON.stringify(payload)}\n\n`);
  }
}
