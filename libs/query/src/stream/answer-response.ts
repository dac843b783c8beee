import type { Logger } from '@nestjs/common';
import type { Response } from 'express';
import { errorBody, type RequestWithId } from '@strata/core';
import type { QueryResponse } from '../dto/query.dto';
import type { PreparedQuery, QueryService } from '../query.service';
import { ServerSentEvents } from './server-sent-events';
import { streamAnswer } from './streamed-answer';

/** Adds fields of the caller's own to an answer before it is sent (e.g. the turn a conversation stored). */
export type AnswerFinisher = (answer: QueryResponse) => Promise<Record<string, unknown>>;

/** What the OpenAPI description of a route answering in Strata's shapes says about streaming. */
export const ANSWER_STREAM_DESCRIPTION = [
  'With `stream: true` the answer comes as Server-Sent Events (text/event-stream):',
  '`references` `{mode, references, entities, relations}`, then `delta` `{text}` events, then `done`',
  '`{answer, answer_source, usage, timings_ms, warnings}`, or `error` in the error shape.',
  'Errors found before the answer starts (validation, access, retrieval) are plain HTTP errors.',
].join(' ');

const NOTHING_MORE: AnswerFinisher = () => Promise.resolve({});

/**
 * Answers a prepared query over HTTP in Strata's own shapes: one JSON body, or with `stream: true`
 * Server-Sent Events (`references`, `delta`s, then `done` or `error`). `finish` runs once the
 * answer is whole, before it is sent.
 */
export async function sendAnswer(
  queries: QueryService,
  prepared: PreparedQuery,
  http: { req: RequestWithId; res: Response; logger: Logger },
  finish: AnswerFinisher = NOTHING_MORE,
): Promise<void> {
  const { dto } = prepared;
  const { req, res, logger } = http;
  if (!dto.stream || dto.only_need_context || dto.only_need_prompt) {
    const answer = await queries.answer(prepared);
    res.status(200).json({ ...answer, ...(await finish(answer)) });
    return;
  }
  const events = new ServerSentEvents(res);
  events.send('references', {
    mode: prepared.mode,
    references: prepared.references,
    entities: prepared.entities,
    relations: prepared.relations,
  });
  await streamAnswer(
    queries,
    prepared,
    {
      signal: events.signal,
      delta: (text) => events.send('delta', { text }),
      done: async (answer) => {
        const { answer: text, answer_source, usage, timings_ms, warnings } = answer;
        const extra = await finish(answer);
        events.send('done', { answer: text, answer_source, usage, timings_ms, warnings, ...extra });
      },
      failed: ({ status, code, message }) =>
        events.send('error', errorBody(status, code, message, req.id ?? null)),
      end: () => events.end(),
    },
    logger,
    req.id ?? null,
  );
}
