import { BadRequest } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-codes';
import { isUuid } from '../ids/identifiers';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

/** Cursors are opaque to clients: the base64url of the last id of the previous page. */
export function encodeCursor(lastId: string): string {
  return Buffer.from(lastId, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string | undefined): string | null {
  if (cursor === undefined || cursor === '') return null;
  const id = /^[A-Za-z0-9_-]{1,64}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  if (!isUuid(id)) throw new BadRequest(ErrorCode.INVALID_CURSOR, 'cursor is not a cursor this API returned');
  return id;
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

/** Builds a page from rows fetched with limit + 1 (the extra row only says whether more exist). */
export function toPage<R extends { id: string }, T>(rows: R[], limit: number, map: (row: R) => T): Page<T> {
  const hasMore = rows.length > limit;
  const pageRows = hasMore ? rows.slice(0, limit) : rows;
  return {
    items: pageRows.map(map),
    next_cursor: hasMore ? encodeCursor(pageRows[pageRows.length - 1].id) : null,
  };
}
