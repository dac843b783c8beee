// The users statements TypeORM's repository methods cannot say: bulk state changes that answer
// the rows they changed.

import { type SqlRunner, updateReturning } from '@strata/storage';

/** Disables the accounts among `ids` that are not platform admins; answers those it disabled. */
export async function disableUsers(db: SqlRunner, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await updateReturning<{ id: string }>(
    db,
    `UPDATE users SET disabled_at = now()
     WHERE id = ANY($1::uuid[]) AND disabled_at IS NULL AND NOT platform_admin
     RETURNING id`,
    [[...ids]],
  );
  return rows.map((row) => row.id);
}

/** Disables one account, platform admin or not; answers whether it was enabled. */
export async function disableUser(db: SqlRunner, id: string): Promise<boolean> {
  const rows = await updateReturning<{ id: string }>(
    db,
    'UPDATE users SET disabled_at = now() WHERE id = $1 AND disabled_at IS NULL RETURNING id',
    [id],
  );
  return rows.length > 0;
}

/** Enables an account again; answers whether it was disabled. */
export async function enableUser(db: SqlRunner, id: string): Promise<boolean> {
  const rows = await updateReturning<{ id: string }>(
    db,
    'UPDATE users SET disabled_at = NULL WHERE id = $1 AND disabled_at IS NOT NULL RETURNING id',
    [id],
  );
  return rows.length > 0;
}
