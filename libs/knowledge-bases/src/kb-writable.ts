import { Conflict, ErrorCode } from '@strata/core';

/** The answer to a change an archived (read-only) KB cannot take. */
export const kbArchived = () =>
  new Conflict(
    ErrorCode.KB_ARCHIVED,
    'This knowledge base is archived (read-only); set status to active first',
  );

/** Throws 409 KB_ARCHIVED when the KB is archived; a KB that is gone is left to the caller's own 404. */
export async function assertKbWritable(
  db: { query(sql: string, params: unknown[]): Promise<Array<{ status: string }>> },
  scope: { tenantId: string; kbId: string },
): Promise<void> {
  const [kb] = await db.query('SELECT status FROM knowledge_bases WHERE tenant_id = $1 AND id = $2', [
    scope.tenantId,
    scope.kbId,
  ]);
  if (kb?.status === 'archived') throw kbArchived();
}
