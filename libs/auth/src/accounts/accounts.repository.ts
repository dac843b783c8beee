// The password_resets statements TypeORM's repository methods cannot say: a one-time claim and
// a revocation that answers how many it ended.

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
