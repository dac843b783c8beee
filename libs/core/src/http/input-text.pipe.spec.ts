import { DomainError } from '../errors/domain-error';
import { InputTextPipe, inputTextProblem, MAX_INPUT_DEPTH } from './input-text.pipe';

const nested = (depth: number): unknown => {
  let value: unknown = 'leaf';
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
};

describe('inputTextProblem', () => {
  it('passes ordinary text, numbers, nulls and surrogate pairs (emoji)', () => {
    expect(
      inputTextProblem({ name: 'Ünïcode 🚀', tags: ['a', 1, null, true], deep: nested(5) }, 'body'),
    ).toBeNull();
  });

  it.each([
    ['a NUL in a nested string', { metadata: { note: 'a\u0000b' } }, 'body.metadata.note'],
    ['a lone high surrogate', { name: 'x\ud800' }, 'body.name'],
    ['a lone low surrogate', { name: '\udc00x' }, 'body.name'],
    ['a surrogate pair reversed', { list: ['\udc00\ud800'] }, 'body.list.0'],
    ['a NUL in a field name', { metadata: { 'a\u0000': 1 } }, 'a field name in body.metadata'],
  ])('refuses %s, saying where', (_what, value, where) => {
    expect(inputTextProblem(value, 'body')).toEqual({
      code: 'INVALID_CHARACTERS',
      message: `${where} holds a NUL character or an unpaired UTF-16 surrogate`,
    });
  });

  it(`takes ${MAX_INPUT_DEPTH} levels of nesting and refuses one more`, () => {
    expect(inputTextProblem(nested(MAX_INPUT_DEPTH), 'body')).toBeNull();
    expect(inputTextProblem(nested(MAX_INPUT_DEPTH + 1), 'body')?.code).toBe('INPUT_TOO_DEEP');
  });

  it('refuses a body nested 100,000 deep without overflowing the stack', () => {
    let value: unknown[] = [];
    for (let i = 0; i < 100_000; i++) value = [value];
    expect(inputTextProblem(value, 'body')?.code).toBe('INPUT_TOO_DEEP');
  });
});

describe('InputTextPipe', () => {
  const pipe = new InputTextPipe();

  it('answers 400 INVALID_CHARACTERS naming the parameter', () => {
    expect.assertions(3);
    try {
      pipe.transform('a\u0000', { type: 'query', data: 'q' });
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).status).toBe(400);
      expect((error as DomainError).message).toBe(
        'query q holds a NUL character or an unpaired UTF-16 surrogate',
      );
    }
  });

  it("passes the server's own custom parameters, and valid input as it came", () => {
    const caller = { note: 'a\u0000' };
    expect(pipe.transform(caller, { type: 'custom' })).toBe(caller);
    const body = { name: 'ok' };
    expect(pipe.transform(body, { type: 'body' })).toBe(body);
  });
});
