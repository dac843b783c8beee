// The account statements TypeORM's repository methods cannot say: one-time claims and state
// changes that answer whether they changed anything.

import { type SqlRunner, updateReturning } from '@strata/storage';

/**
 * Marks the usable reset with this token hash used, in one statement, and answers its account;
 * null when there is none (unknown, used, revoked or expired), so a token works once.
 */
export async function claimPasswordReset(db: SqlRunner, tokenHash: string): Promise<string | null> {
  const [row] = await updateReturning<{ user_id: string }>(
    db,
    `UPDATE password_resets SET used_at = now()
     WHERE token_hash = $1 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > now()
     RETURNING user_id`,
    [tokenHash],
  );
  return row?.user_id ?? null;
}

/** Revokes the account's usable resets (a new one replaces them); answers how many. */
export async function revokePasswordResets(db: SqlRunner, userId: string): Promise<number> {
  const rows = await updateReturning<{ id: string }>(
    db,
    `UPDATE password_resets SET revoked_at = now()
     WHERE user_id = $1 AND used_at IS NULL AND revoked_at IS NULL
     RETURNING id`,
    [userId],
  );
  return rows.length;
}

/** Disables one account, platform admin or not; answers whether it was enabled. */
export async function disableAccount(db: SqlRunner, userId: string): Promise<boolean> {
  const rows = await updateReturning<{ id: string }>(
    db,
    'UPDATE users SET disabled_at = now() WHERE id = $1 AND disabled_at IS NULL RETURNING id',
    [userId],
  );
  return rows.length > 0;
}
