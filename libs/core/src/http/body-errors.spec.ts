import type { Request, Response } from 'express';
import { DomainError } from '../errors/domain-error';
import { bodyErrorTranslator } from './body-errors';

/** What the translator hands on for a body parser's error. */
function translated(error: unknown): unknown {
  let passed: unknown;
  bodyErrorTranslator(error, {} as Request, {} as Response, (next?: unknown) => (passed = next));
  return passed;
}

describe('bodyErrorTranslator', () => {
  it.each([
    [{ type: 'entity.parse.failed', status: 400 }, 400, 'MALFORMED_JSON'],
    [{ type: 'entity.too.large', status: 413 }, 413, 'PAYLOAD_TOO_LARGE'],
    [{ type: 'encoding.unsupported', status: 415 }, 415, 'UNSUPPORTED_MEDIA_TYPE'],
    // zlib's error for a gzip header on a plain body: the parser marks it 400 and gives no type.
    [
      Object.assign(new Error('incorrect header check'), { status: 400, code: 'Z_DATA_ERROR' }),
      400,
      'UNREADABLE_BODY',
    ],
  ])('turns %o into %i %s', (error, status, code) => {
    const result = translated(error);
    expect(result).toBeInstanceOf(DomainError);
    expect(result).toMatchObject({ status, code });
  });

  it('hands on what the parser did not blame on the request', () => {
    const error = Object.assign(new Error('stream is not readable'), { status: 500 });
    expect(translated(error)).toBe(error);
    const plain = new Error('boom');
    expect(translated(plain)).toBe(plain);
  });
});
