import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One scripted answer the server gives instead of its normal one. */
export interface ScriptedAnswer {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  /** Wait this long before answering (to test timeouts). */
  delayMs?: number;
  /** Answer as an event stream of these data payloads instead of `body`. */
  events?: string[];
  /** After `events`, stay silent this long before closing (to test stalled streams). */
  stallMs?: number;
}

export interface RecordedRequest {
  path: string;
  authorization: string | null;
  body: Record<string, unknown>;
}

/**
 * A small OpenAI-compatible server on 127.0.0.1 for provider tests: real HTTP, deterministic
 * embeddings of a fixed dimension, and a script of failures (429, 500, slow answers) to play first.
 */
export class OpenAiCompatibleServer {
  readonly requests: RecordedRequest[] = [];
  /** Pause between the words of a streamed answer; tests raise it to abort mid-stream. */
  streamDelayMs = 2;
  /** Streamed answers whose client closed the connection before the end. */
  abortedStreams = 0;
  private readonly script: ScriptedAnswer[] = [];

  private constructor(
    private readonly server: Server,
    readonly dimension: number,
  ) {}

  static async start(options: { dimension?: number } = {}): Promise<OpenAiCompatibleServer> {
    let instance: OpenAiCompatibleServer | null = null;
    const server = createServer((req, res) => void instance!.handle(req, res));
    instance = new OpenAiCompatibleServer(server, options.dimension ?? 8);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return instance;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  /** Forgets scripted answers not played yet, and streams at the default pace again. */
  reset(): void {
    this.script.length = 0;
    this.streamDelayMs = 2;
  }

  /** Answers the next requests with these, in order, before answering normally again. */
  play(...answers: ScriptedAnswer[]): void {
    this.script.push(...answers);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** The deterministic vector the server gives a text: letter counts folded into `dimension`. */
  vectorOf(text: string): number[] {
    const vector = new Array<number>(this.dimension).fill(0);
    for (const char of text.toLowerCase()) vector[char.charCodeAt(0) % this.dimension] += 1;
    const norm = Math.sqrt(vector.reduce((sum, v) => sum + v * v, 0)) || 1;
    return vector.map((v) => v / norm);
  }

  /** Streams `content` word by word as chat completion chunks, then the usage and [DONE]. */
  private async streamAnswer(
    res: ServerResponse,
    content: string,
    usage: Record<string, number>,
  ): Promise<void> {
    let clientGone = false;
    res.on('close', () => {
      if (!res.writableFinished) clientGone = true;
    });
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const send = (data: unknown) =>
      res.write(`data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`);
    for (const word of content.split(/(?<= )/)) {
      if (clientGone) break;
      send({ choices: [{ index: 0, delta: { content: word } }] });
      await new Promise((resolve) => setTimeout(resolve, this.streamDelayMs));
    }
    if (clientGone) {
      this.abortedStreams++;
      return;
    }
    send({ choices: [], usage });
    send('[DONE]');
    res.end();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
    } catch {
      body = {};
    }
    this.requests.push({ path: req.url ?? '', authorization: req.headers.authorization ?? null, body });

    const scripted = this.script.shift();
    if (scripted) {
      if (scripted.delayMs) await new Promise((resolve) => setTimeout(resolve, scripted.delayMs));
      if (res.destroyed) return;
      if (scripted.events) {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        for (const data of scripted.events) res.write(`data: ${data}\n\n`);
        if (scripted.stallMs) await new Promise((resolve) => setTimeout(resolve, scripted.stallMs));
        res.end();
        return;
      }
      if (scripted.status !== undefined || scripted.body !== undefined) {
        res.writeHead(scripted.status ?? 200, { 'content-type': 'application/json', ...scripted.headers });
        res.end(scripted.body ?? '{}');
        return;
      }
    }
    if (req.url?.endsWith('/embeddings')) {
      const input = Array.isArray(body.input) ? (body.input as string[]) : [String(body.input ?? '')];
      const data = input.map((text, index) => ({
        object: 'embedding',
        index,
        embedding: this.vectorOf(text),
      }));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ object: 'list', model: body.model, data }));
      return;
    }
    if (req.url?.endsWith('/chat/completions')) {
      // Answers with the first context reference it finds in the prompt, cited, so tests can check
      // that the model saw the context.
      const messages = Array.isArray(body.messages) ? (body.messages as Array<{ content: string }>) : [];
      const prompt = messages.map((m) => m.content).join('\n');
      const cited = /\[(\d+)\]/.exec(prompt);
      const content = cited
        ? `According to the context, see [${cited[1]}].`
        : 'I have no context to answer from.';
      const usage = { prompt_tokens: Math.ceil(prompt.length / 4), completion_tokens: 9 };
      if (body.stream === true) {
        await this.streamAnswer(res, content, usage);
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ choices: [{ index: 0, message: { role: 'assistant', content } }], usage }));
      return;
    }
    if (req.url?.endsWith('/rerank')) {
      // Scores each document by the query words it contains, like a (very) small cross-encoder.
      const words = String(body.query ?? '')
        .toLowerCase()
        .split(/\W+/)
        .filter((w) => w.length > 2);
      const documents = Array.isArray(body.documents) ? (body.documents as string[]) : [];
      const results = documents
        .map((text, index) => ({
          index,
          relevance_score: words.filter((w) => text.toLowerCase().includes(w)).length / (words.length || 1),
        }))
        .sort((a, b) => b.relevance_score - a.relevance_score)
        .slice(0, Number(body.top_n ?? documents.length));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ results }));
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { message: `no route ${req.url}` } }));
  }
}
