import { Conflict, ErrorCode } from '@strata/core';
import type { SqlRunner } from '@strata/storage';
import type { KbScope } from '@strata/tenancy';
import { readKbStatus } from './knowledge-base.repository';

/** The answer to a change an archived (read-only) KB cannot take. */
export const kbArchived = () =>
  new Conflict(
    ErrorCode.KB_ARCHIVED,
    'This knowledge base is archived (read-only); set status to active first',
  );

/** Throws 409 KB_ARCHIVED when the KB is archived; a KB that is gone is left to the caller's own 404. */
export async function assertKbWritable(db: SqlRunner, scope: KbScope): Promise<void> {
  if ((await readKbStatus(db, scope)) === 'archived') throw kbArchived();
}
