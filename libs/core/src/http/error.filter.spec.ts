import { ArgumentsHost, ForbiddenException, NotFoundException } from '@nestjs/common';
import { Conflict, TooManyRequests } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-codes';
import { ErrorFilter } from './error.filter';

async function run(exception: unknown) {
  const headers: Record<string, string> = {};
  const res = {
    headersSent: false,
    statusCode: 0,
    body: undefined as unknown,
    setHeader: (k: string, v: string) => (headers[k] = v),
    status(code: number) {
      this.statusCode = code;
      return this;
    },
    json(body: unknown) {
      this.body = body;
    },
  };
  const host = {
    switchToHttp: () => ({ getResponse: () => res, getRequest: () => ({ id: 'req-1' }) }),
  } as unknown as ArgumentsHost;
  const filter = new ErrorFilter();
  (filter as unknown as { logger: { error: () => void } }).logger = { error: () => undefined };
  await filter.catch(exception, host);
  return { status: res.statusCode, body: res.body, headers };
}

describe('ErrorFilter', () => {
  it('keeps a domain error’s status, code, message and headers', async () => {
    expect(await run(new Conflict(ErrorCode.KB_SLUG_TAKEN, 'taken'))).toEqual({
      status: 409,
      body: {
        statusCode: 409,
        error: 'Conflict',
        message: 'taken',
        code: 'KB_SLUG_TAKEN',
        requestId: 'req-1',
      },
      headers: {},
    });
    expect((await run(new TooManyRequests(ErrorCode.TOO_MANY_LOGIN_ATTEMPTS, 'slow', 1.2))).headers).toEqual({
      'Retry-After': '2',
    });
  });

  it('gives framework errors a generic code', async () => {
    expect((await run(new NotFoundException('Cannot GET /x'))).body).toMatchObject({
      statusCode: 404,
      code: 'ROUTE_NOT_FOUND',
    });
    expect((await run(new ForbiddenException())).body).toMatchObject({ statusCode: 403, code: 'FORBIDDEN' });
  });

  it('hides everything about an unexpected error', async () => {
    const { status, body } = await run(new Error('relation "secret_table" does not exist at /srv/app.js:1'));
    expect(status).toBe(500);
    expect(body).toMatchObject({ code: 'INTERNAL_ERROR', requestId: 'req-1' });
    expect(JSON.stringify(body)).not.toMatch(/secret_table|app\.js/);
  });
});
