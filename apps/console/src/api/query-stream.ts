import { EventSourceParserStream } from 'eventsource-parser/stream';
import type { QueryEntity, QueryRelation, Reference } from './types';

/** What a streamed answer says, event by event (see POST …/query with `stream: true`). */
export type QueryStreamEvent =
  | { type: 'references'; references: Reference[]; entities: QueryEntity[]; relations: QueryRelation[] }
  | { type: 'delta'; text: string }
  | {
      type: 'done';
      answer: string | null;
      answer_source: string | null;
      timings_ms: Record<string, number>;
      warnings: string[];
      /** Asked in a conversation: the turn kept for the answer. */
      turn_id?: string | null;
    }
  | { type: 'error'; code: string; message: string };

/** Reads a text/event-stream body into the answer's events, in order. */
export async function* readQueryStream(body: ReadableStream<Uint8Array>): AsyncGenerator<QueryStreamEvent> {
  // The DOM typings declare the decoder's input as BufferSource; the body's bytes are one.
  const decoder = new TextDecoderStream() as unknown as TransformStream<Uint8Array, string>;
  const events = body.pipeThrough(decoder).pipeThrough(new EventSourceParserStream());
  const reader = events.getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    const data = JSON.parse(value.data) as Record<string, unknown>;
    switch (value.event) {
      case 'references':
        yield {
          type: 'references',
          references: (data.references as Reference[]) ?? [],
          entities: (data.entities as QueryEntity[]) ?? [],
          relations: (data.relations as QueryRelation[]) ?? [],
        };
        break;
      case 'delta':
        yield { type: 'delta', text: String(data.text ?? '') };
        break;
      case 'done':
        yield { type: 'done', ...(data as Omit<Extract<QueryStreamEvent, { type: 'done' }>, 'type'>) };
        return;
      case 'error':
        yield { type: 'error', code: String(data.code ?? 'ERROR'), message: String(data.message ?? '') };
        return;
      default:
      // An event this console does not know (a newer server's) is not part of the answer.
    }
  }
}
