import type { Response } from 'express';
import { OpenStream } from './open-stream';

/** A newline-delimited JSON answer (how Ollama and LightRAG stream): one JSON object per line. */
export class NdjsonStream extends OpenStream {
  constructor(res: Response) {
    super(res, 'application/x-ndjson; charset=utf-8');
  }

  line(value: unknown): void {
    this.write(`${JSON.stringify(value)}\n`);
  }
}
