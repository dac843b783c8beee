import { BadRequest } from '../errors/domain-error';
import { decodeCursor, encodeCursor, toPage } from './cursor';

const ID = '0193a8f1-1111-7aaa-8bbb-123456789abc';

describe('cursor pagination', () => {
  it('round-trips an id through an opaque cursor', () => {
    const cursor = encodeCursor(ID);
    expect(cursor).not.toContain(ID);
    expect(decodeCursor(cursor)).toBe(ID);
    expect(decodeCursor(undefined)).toBeNull();
  });

  it.each(['not-a-cursor!', encodeCursor('not a uuid'), 'x'.repeat(200)])('refuses %s', (cursor) => {
    expect(() => decodeCursor(cursor)).toThrow(BadRequest);
  });

  it('uses the extra row only to tell that more exist', () => {
    const rows = [{ id: 'a' }, { id: 'b' }, { id: 'c' }];
    expect(toPage(rows, 2, (r) => r.id)).toEqual({ items: ['a', 'b'], next_cursor: encodeCursor('b') });
    expect(toPage(rows, 3, (r) => r.id)).toEqual({ items: ['a', 'b', 'c'], next_cursor: null });
  });
});
