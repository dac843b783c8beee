import { createParser } from 'eventsource-parser';
import type { Response } from 'superagent';

export interface ReceivedEvent {
  event: string;
  data: Record<string, unknown>;
}

/** The events of a text/event-stream body, in order, with their JSON data parsed. */
export function parseEventStream(text: string): ReceivedEvent[] {
  const events: ReceivedEvent[] = [];
  const parser = createParser({
    onEvent: (message) => events.push({ event: message.event ?? 'message', data: JSON.parse(message.data) }),
  });
  parser.feed(text);
  return events;
}

/** A supertest parser that keeps an event-stream body as text (in `res.body`). */
export function rawText(res: Response, done: (error: Error | null, body: string) => void): void {
  let text = '';
  res.setEncoding('utf8');
  res.on('data', (part: string) => (text += part));
  res.on('end', () => done(null, text));
}
