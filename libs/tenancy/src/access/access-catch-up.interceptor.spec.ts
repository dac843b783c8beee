import type { CallHandler, ExecutionContext } from '@nestjs/common';
import { lastValueFrom, of, throwError } from 'rxjs';
import { AccessCatchUpInterceptor } from './access-catch-up.interceptor';
import type { AccessChangeFeed } from './access-change-feed';

/** A feed whose catch-ups finish when the test says so; `events` records the order of things. */
function feedAndEvents() {
  const events: string[] = [];
  const feed = {
    catchUp: jest.fn(async () => {
      events.push('catch-up started');
      await new Promise((resolve) => setImmediate(resolve));
      events.push('caught up');
    }),
  };
  return { feed, events, interceptor: new AccessCatchUpInterceptor(feed as unknown as AccessChangeFeed) };
}

const http = (method: string, headersSent = false) =>
  ({
    getType: () => 'http',
    switchToHttp: () => ({ getRequest: () => ({ method }), getResponse: () => ({ headersSent }) }),
  }) as unknown as ExecutionContext;

describe('AccessCatchUpInterceptor', () => {
  it.each(['POST', 'PATCH', 'PUT', 'DELETE'])('answers a %s only once the feed caught up', async (method) => {
    const { interceptor, events } = feedAndEvents();
    const handler: CallHandler = { handle: () => of('answer') };
    const answered = lastValueFrom(interceptor.intercept(http(method), handler)).then((value) => {
      events.push(`answered ${value}`);
    });
    await answered;
    expect(events).toEqual(['catch-up started', 'caught up', 'answered answer']);
  });

  it('passes a failure on after catching up: part of the work may have committed', async () => {
    const { interceptor, events } = feedAndEvents();
    const handler: CallHandler = { handle: () => throwError(() => new Error('refused')) };
    await expect(
      lastValueFrom(interceptor.intercept(http('DELETE'), handler)).finally(() => events.push('failed')),
    ).rejects.toThrow('refused');
    expect(events).toEqual(['catch-up started', 'caught up', 'failed']);
  });

  it.each(['GET', 'HEAD', 'OPTIONS'])('does not hold up a %s', async (method) => {
    const { interceptor, feed } = feedAndEvents();
    await expect(lastValueFrom(interceptor.intercept(http(method), { handle: () => of(1) }))).resolves.toBe(
      1,
    );
    expect(feed.catchUp).not.toHaveBeenCalled();
  });

  it('does not hold up a handler that already sent its answer (an event stream)', async () => {
    const { interceptor, feed } = feedAndEvents();
    const handler: CallHandler = { handle: () => of(undefined) };
    await lastValueFrom(interceptor.intercept(http('POST', true), handler));
    expect(feed.catchUp).not.toHaveBeenCalled();
  });
});
